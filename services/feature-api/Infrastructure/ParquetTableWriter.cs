using System.Text.Json;
using FeatureStore.Domain;
using FeatureStore.DuckDb;
using FeatureStore.Storage.Objects;

namespace FeatureStore.FeatureApi.Infrastructure;

/// <summary>
/// Rows as Parquet files in the object store, one per date of a time column: written as JSON lines in a work directory, turned
/// into typed Parquet by DuckDB, uploaded under the key <c>keyOf(date, file)</c> gives. Pushes and feature logs both write so.
/// </summary>
public sealed class ParquetTableWriter(IObjectStore objects)
{
    /// <param name="rows">Per row, writes its columns' properties (names and values) into the row's JSON object.</param>
    public async Task<List<CataloguedFile>> WriteAsync(string work, string name,
        IReadOnlyList<(string Name, FeatureValueType Type)> columns, string timeColumn, IEnumerable<Action<Utf8JsonWriter>> rows,
        Func<string, string, string> keyOf, CancellationToken cancellationToken)
    {
        var directory = Path.Combine(work, name);
        var lines = Path.Combine(work, $"{name}.jsonl");
        await using (var stream = new FileStream(lines, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16))
        {
            // One writer for every line: a row costs its JSON, not a writer of its own.
            await using var writer = new Utf8JsonWriter(stream);
            foreach (var row in rows)
            {
                writer.WriteStartObject();
                row(writer);
                writer.WriteEndObject();
                writer.Flush();
                stream.WriteByte((byte)'\n');
                writer.Reset();
            }
        }

        // Only this writer's own SQL runs here (the values travel as JSON data), so the connection stays unlocked.
        using var connection = DuckDbSandbox.Open();
        // Bytes travel as base64 text; everything else is read as its own type.
        var spec = string.Join(", ",
            columns.Select(c => $"{Literal(c.Name)}: '{(c.Type == FeatureValueType.Bytes ? "VARCHAR" : DuckDbTypes.ToSql(c.Type))}'"));
        var select = string.Join(", ",
            columns.Select(c => c.Type == FeatureValueType.Bytes ? $"from_base64({Q(c.Name)}) AS {Q(c.Name)}" : Q(c.Name)));
        connection.Execute($$"""
            COPY (SELECT {{select}}, strftime({{Q(timeColumn)}}, '%Y-%m-%d') AS __date
                  FROM read_json({{Literal(lines)}}, format = 'newline_delimited', columns = { {{spec}} }))
            TO {{Literal(directory)}} (FORMAT PARQUET, PARTITION_BY (__date), FILENAME_PATTERN '{i}', COMPRESSION zstd)
            """);

        var files = new List<CataloguedFile>();
        foreach (var file in Directory.GetFiles(directory, "*.parquet", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var date = Path.GetFileName(Path.GetDirectoryName(file)!).Split('=', 2)[1];
            using var command = connection.CreateCommand();
            command.CommandText = $"SELECT count(*), min({Q(timeColumn)}), max({Q(timeColumn)}) FROM read_parquet({Literal(file)})";
            using var reader = command.ExecuteReader();
            reader.Read();
            var key = keyOf(date, Path.GetFileName(file));
            var (hash, size) = await objects.PutFileAsync(key, file, cancellationToken);
            files.Add(new CataloguedFile(key, date, reader.GetInt64(0), FeatureValues.ToTimestamp(reader.GetValue(1))!.Value,
                FeatureValues.ToTimestamp(reader.GetValue(2))!.Value, hash, size));
        }
        return files;
    }

    private static string Q(string name) => DuckDbTypes.Quote(name);

    private static string Literal(string text) => DuckDbTypes.Literal(text);
}
