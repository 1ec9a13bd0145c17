using System.Globalization;
using DuckDB.NET.Data;
using FeatureStore.Api;
using FeatureStore.Domain;
using FeatureStore.DuckDb;

namespace FeatureStore.Registry.Sources;

/// <summary>A column of an uploaded file as DuckDB reads it; <see cref="Type"/> is the feature type it fits, if any.</summary>
public sealed record FileColumn(string Name, string SqlType)
{
    public FeatureValueType? Type => DuckDbTypes.FromSql(SqlType);
}

/// <summary>An uploaded file read whole: the Parquet file to store, its columns and rows.</summary>
public sealed record ReadSourceFile(string ParquetPath, IReadOnlyList<FileColumn> Columns, long Rows);

/// <summary>
/// Reads one uploaded file with DuckDB in a <see cref="DuckDbSandbox"/> locked to the upload's own work directory before
/// the file is touched: no other path is readable or writable, no network, no extension loads. Parquet is
/// decoded whole, so a damaged file is refused now rather than by a later materialization; CSV is converted to
/// Parquet because the pipeline reads sources with <c>read_parquet</c>.
/// </summary>
public sealed class SourceFileReader : IDisposable
{
    /// <summary>How long a bad value may be when it is quoted back in an error.</summary>
    private const int QuotedValueLength = 60;

    private readonly DuckDBConnection _connection;

    private SourceFileReader(DuckDBConnection connection) => _connection = connection;

    public static SourceFileReader Open(string workDirectory, UploadOptions options) => new(DuckDbSandbox.OpenLocked(
        new DuckDbLimits(options.MemoryLimit, options.Threads, Path.Combine(workDirectory, "spill")), workDirectory));

    /// <summary>A Parquet file as sent: its columns and row count, after every value of it has been decoded once.</summary>
    public ReadSourceFile ReadParquet(string file)
    {
        var source = $"read_parquet({Literal(file)})";
        var columns = Read(file, "Parquet", () => Describe($"SELECT * FROM {source}"));
        // hash() of every column forces DuckDB to decode every page; count(*) alone would only read the footer.
        var rows = Read(file, "Parquet", () => Convert.ToInt64(Scalar(
            $"SELECT count(*), bit_xor(hash({string.Join(", ", columns.Select(c => Q(c.Name)))})) FROM {source}"),
            CultureInfo.InvariantCulture));
        return new ReadSourceFile(file, columns, rows);
    }

    /// <summary>
    /// A CSV file (UTF-8, header row) converted to Parquet at <paramref name="output"/>. Columns named in
    /// <paramref name="typed"/> (the declared schema, the timestamp fields) take exactly that type, every value
    /// converted or the file refused naming the column and its first bad row; other columns keep the types DuckDB
    /// detects over the whole file. Timestamps become TIMESTAMPTZ; text without an offset is UTC.
    /// </summary>
    public ReadSourceFile ConvertCsv(string file, IReadOnlyDictionary<string, FeatureValueType> typed, string output)
    {
        var header = Read(file, "CSV", () => Describe($"SELECT * FROM read_csv({Literal(file)}, header = true, all_varchar = true)"));
        // Typed columns are read as text and converted below, so a bad value is reported with its row rather than failing the read.
        var present = typed.Where(t => header.Any(h => h.Name == t.Key)).ToList();
        var asText = present.Count == 0 ? "" : $", types = {{{string.Join(", ", present.Select(t => $"{Literal(t.Key)}: 'VARCHAR'"))}}}";
        Read(file, "CSV", () =>
            Execute($"CREATE TABLE csv AS SELECT * FROM read_csv({Literal(file)}, header = true, sample_size = -1{asText})"));
        ReportBadValues(present);
        var projections = Describe("SELECT * FROM csv").Select(c => typed.TryGetValue(c.Name, out var type)
            ? $"CAST({Q(c.Name)} AS {DuckDbTypes.ToSql(type)}) AS {Q(c.Name)}" : Q(c.Name));
        // A table keeps insertion order, so rowid is the file's row order and the Parquet file keeps it.
        // Every typed value was checked above; should DuckDB still refuse one, it is the file's fault all the same, not a 500.
        Read(file, "CSV", () => Execute($"COPY (SELECT {string.Join(", ", projections)} FROM csv ORDER BY rowid) " +
            $"TO {Literal(output)} (FORMAT PARQUET, COMPRESSION zstd)"));
        Execute("DROP TABLE csv");
        var columns = Describe($"SELECT * FROM read_parquet({Literal(output)})");
        return new ReadSourceFile(output, columns,
            Convert.ToInt64(Scalar($"SELECT count(*) FROM read_parquet({Literal(output)})"), CultureInfo.InvariantCulture));
    }

    /// <summary>Every typed column's first value that does not convert, all reported at once (one pass over the table).</summary>
    private void ReportBadValues(IReadOnlyList<KeyValuePair<string, FeatureValueType>> typed)
    {
        if (typed.Count == 0) return;
        var probes = typed.SelectMany(t => new[] { $"min(rowid) FILTER (WHERE {Bad(t.Key, t.Value)})",
            $"arg_min({Q(t.Key)}, rowid) FILTER (WHERE {Bad(t.Key, t.Value)})" });
        using var command = _connection.CreateCommand();
        command.CommandText = $"SELECT {string.Join(", ", probes)} FROM csv";
        using var reader = command.ExecuteReader();
        reader.Read();
        var errors = new List<FieldError>();
        for (var i = 0; i < typed.Count; i++)
        {
            if (reader.IsDBNull(2 * i)) continue;
            var row = Convert.ToInt64(reader.GetValue(2 * i), CultureInfo.InvariantCulture) + 1;
            var value = reader.GetString(2 * i + 1);
            if (value.Length > QuotedValueLength) value = value[..QuotedValueLength] + "…";
            errors.Add(new FieldError(SourceFileChecks.ColumnField(typed[i].Key),
                $"row {row} holds '{value}', which is not a {typed[i].Value.ToName()}{(typed[i].Value == FeatureValueType.Timestamp
                    ? " (ISO 8601, such as 2024-06-01T12:00:00Z; no offset means UTC)" : "")}"));
        }
        if (errors.Count > 0) throw FieldErrors.Invalid(errors);
    }

    /// <summary>
    /// A value present but not convertible: for a time, not a finite instant either; for an array, one whose elements
    /// do not all convert (TRY_CAST turns a bad element into NULL instead of failing the whole value).
    /// </summary>
    private static string Bad(string column, FeatureValueType type)
    {
        var cast = $"TRY_CAST({Q(column)} AS {DuckDbTypes.ToSql(type)})";
        var extra = type == FeatureValueType.Timestamp ? $" OR NOT isfinite({cast})"
            : type.IsArray() ? $" OR list_aggregate({cast}, 'count') IS DISTINCT FROM " +
                $"list_aggregate(TRY_CAST({Q(column)} AS VARCHAR[]), 'count')"
            : "";
        return $"{Q(column)} IS NOT NULL AND ({cast} IS NULL{extra})";
    }

    /// <summary>Runs a read of the client's file; DuckDB's complaint about it is a 400 naming <c>file</c>, with the server's path
    /// left out.</summary>
    private static T Read<T>(string file, string format, Func<T> read)
    {
        try
        {
            return read();
        }
        catch (DuckDBException e)
        {
            var reason = e.Message.Split('\n', 2)[0].Replace(file, "the file", StringComparison.Ordinal);
            throw FieldErrors.Invalid(SourceFileChecks.FileField, $"could not be read as {format}: {reason}");
        }
    }

    private static int Read(string file, string format, Action read) => Read(file, format, () => { read(); return 0; });

    private List<FileColumn> Describe(string query) => [.. _connection.Describe(query).Select(c => new FileColumn(c.Name, c.Type))];

    private void Execute(string sql) => _connection.Execute(sql);

    private object? Scalar(string sql) => _connection.Scalar(sql);

    private static string Q(string name) => DuckDbTypes.Quote(name);

    private static string Literal(string text) => DuckDbTypes.Literal(text);

    public void Dispose() => _connection.Dispose();
}
