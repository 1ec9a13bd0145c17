using System.Globalization;
using DuckDB.NET.Data;
using FeatureStore.Api;
using FeatureStore.Domain;
using FeatureStore.DuckDb;

namespace FeatureStore.FeatureApi.Historical;

/// <summary>How an entity dataframe arrived.</summary>
public enum EntityFrameFormat { JsonLines, Csv, Parquet }

/// <summary>
/// Loads an entity dataframe (a file of JSON lines, CSV or Parquet) into DuckDB as <see cref="PointInTimeJoinSql.EntityTable"/>,
/// numbered in arrival order, its join keys, timestamp and request fields cast to their declared types.
/// Every column that is missing or holds a value of the wrong type is reported at once, naming the column
/// and the first bad row.
/// </summary>
public static class EntityFrame
{
    /// <summary>Loads the frame; answers its own columns in order with their types in the table (the <c>__row</c> numbering
    /// excluded).</summary>
    public static IReadOnlyList<(string Name, string Type)> Load(DuckDBConnection connection, string file, EntityFrameFormat format,
        IReadOnlyDictionary<string, FeatureValueType> required, string timestampColumn, string field)
    {
        var reader = format switch
        {
            EntityFrameFormat.JsonLines => $"read_json({DuckDbTypes.Literal(file)}, format = 'newline_delimited', sample_size = -1)",
            EntityFrameFormat.Csv => $"read_csv({DuckDbTypes.Literal(file)}, header = true, sample_size = -1)",
            _ => $"read_parquet({DuckDbTypes.Literal(file)})",
        };
        try
        {
            connection.Execute($"CREATE TABLE raw_entities AS SELECT * FROM {reader}");
        }
        catch (DuckDBException e)
        {
            throw FieldErrors.Invalid(field, $"could not be read as {format}: {FirstLine(e.Message)}");
        }
        var raw = connection.Describe("raw_entities");
        var columns = raw.Select(c => c.Name).ToList();
        var wanted = required.Append(KeyValuePair.Create(timestampColumn, FeatureValueType.Timestamp)).DistinctBy(c => c.Key).ToList();
        var errors = new List<FieldError>();
        foreach (var (name, _) in wanted.Where(c => !columns.Contains(c.Key)))
            errors.Add(new FieldError(field,
                $"has no '{name}' column ({(name == timestampColumn ? "the entity timestamp" : "needed by the requested features")})"));
        foreach (var name in columns.Where(c => c.StartsWith(FeatureNames.WorkingPrefix, StringComparison.Ordinal)))
            errors.Add(new FieldError($"{field}.{name}",
                $"column names starting with '{FeatureNames.WorkingPrefix}' are the system's own"));
        var present = wanted.Where(c => columns.Contains(c.Key)).ToList();
        if (present.Count > 0)
        {
            // One pass over the frame finds the first bad row of every column.
            var firstBad = string.Join(", ", present.Select(c => $"min(rowid) FILTER (WHERE {Bad(c.Key, c.Value)})"));
            using var command = connection.CreateCommand();
            command.CommandText = $"SELECT {firstBad} FROM raw_entities";
            using var bad = command.ExecuteReader();
            bad.Read();
            for (var i = 0; i < present.Count; i++)
                if (!bad.IsDBNull(i))
                    errors.Add(new FieldError($"{field}.{present[i].Key}",
                        $"row {Convert.ToInt64(bad.GetValue(i), CultureInfo.InvariantCulture)} " +
                            $"is null or not a {present[i].Value.ToName()}"));
        }
        if (errors.Count > 0) throw FieldErrors.Invalid(errors);

        // Declared columns are cast to their types; the rest keep the type they were read as.
        var declared = wanted.ToDictionary(w => w.Key, w => DuckDbTypes.ToSql(w.Value));
        var typed = raw.Select(c => declared.TryGetValue(c.Name, out var type) ? (c.Name, Type: type) : c).ToList();
        var projections = typed.Select(c => declared.ContainsKey(c.Name) ? $"CAST({Q(c.Name)} AS {c.Type}) AS {Q(c.Name)}" : Q(c.Name));
        // A table keeps insertion order, so rowid is the frame's own row order.
        connection.Execute($"CREATE TABLE {PointInTimeJoinSql.EntityTable} AS " +
            $"SELECT rowid AS {PointInTimeJoinSql.RowColumn}, {string.Join(", ", projections)} FROM raw_entities ORDER BY rowid;\n" +
            "DROP TABLE raw_entities");
        return typed;
    }

    /// <summary>The frame's rows and its earliest and latest entity time (null without rows), in one pass.</summary>
    public static (long Rows, TimeWindow? Times) Extent(DuckDBConnection connection, string timestampColumn)
    {
        using var command = connection.CreateCommand();
        command.CommandText =
            $"SELECT count(*), min({Q(timestampColumn)}), max({Q(timestampColumn)}) FROM {PointInTimeJoinSql.EntityTable}";
        using var reader = command.ExecuteReader();
        reader.Read();
        var rows = Convert.ToInt64(reader.GetValue(0), CultureInfo.InvariantCulture);
        return (rows, reader.IsDBNull(1) ? null
            : new TimeWindow(FeatureValues.ToTimestamp(reader.GetValue(1))!.Value, FeatureValues.ToTimestamp(reader.GetValue(2))!.Value));
    }

    /// <summary>Every entity row's number, time and <paramref name="keys"/>' values, for a held history to answer.</summary>
    public static List<HeldQuery> HeldQueries(DuckDBConnection connection, string timestampColumn, IReadOnlyList<string> keys)
    {
        using var command = connection.CreateCommand();
        var columns = keys.Select(Q).Prepend(Q(timestampColumn)).Prepend(PointInTimeJoinSql.RowColumn);
        command.CommandText = $"SELECT {string.Join(", ", columns)} FROM {PointInTimeJoinSql.EntityTable}";
        using var reader = command.ExecuteReader();
        var queries = new List<HeldQuery>();
        while (reader.Read())
            queries.Add(new HeldQuery(reader.GetInt64(0), keys.Select((k, i) => (k, reader.IsDBNull(i + 2) ? null : reader.GetValue(i + 2)))
                .ToDictionary(p => p.k, p => p.Item2), FeatureValues.ToTimestamp(reader.GetValue(1))!.Value));
        return queries;
    }

    /// <summary>Null, not castable, or (for times) infinite: a point in time must be a real instant.</summary>
    private static string Bad(string column, FeatureValueType type)
    {
        var cast = $"TRY_CAST({Q(column)} AS {DuckDbTypes.ToSql(type)})";
        return $"{Q(column)} IS NULL OR {cast} IS NULL" + (type == FeatureValueType.Timestamp ? $" OR NOT isfinite({cast})" : "");
    }

    private static string FirstLine(string message) => message.Split('\n', 2)[0];

    private static string Q(string name) => DuckDbTypes.Quote(name);
}
