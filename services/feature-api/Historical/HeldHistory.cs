using DuckDB.NET.Data;
using FeatureStore.Domain;
using FeatureStore.DuckDb;

namespace FeatureStore.FeatureApi.Historical;

/// <summary>An entity row of a request as a held history answers it: its number, its join-key values and its time.</summary>
public sealed record HeldQuery(long Row, IReadOnlyDictionary<string, object?> Keys, DateTimeOffset Time);

/// <summary>
/// The rows a view's offline history shows (one snapshot: its files, their masks applied), held in memory and indexed by
/// entity key, so that a few entity rows are answered by lookups rather than by scanning the files. Each entity row gets the
/// newest candidate of its keys by the domain's own rule (<see cref="PointInTime.Match{TRow}"/>: the TTL, then
/// <see cref="RowTime"/>); the rows are read once, by the same SQL the join reads the files with
/// (<see cref="PointInTimeJoinSql.ViewRows"/>).
/// </summary>
public sealed class HeldHistory
{
    private readonly FeatureViewDefinition _view;
    private readonly Dictionary<EntityKey, (int Start, int Count)> _byKey = [];
    private readonly long[] _events;
    private readonly long[] _created; // long.MinValue: none
    private readonly Dictionary<string, HeldColumn> _features = [];

    public int Rows { get; private set; }

    /// <summary>What the held rows take, roughly: the times, the features' values and the index.</summary>
    public long Bytes { get; private set; }

    private HeldHistory(FeatureViewDefinition view, int capacity)
    {
        _view = view;
        _events = new long[capacity];
        _created = new long[capacity];
        foreach (var feature in view.Features) _features[feature.Name] = HeldColumn.For(feature.Type, capacity);
    }

    /// <summary>Reads every visible row of <paramref name="files"/> (at most <paramref name="capacity"/>) over a sandboxed connection
    /// that may read exactly those files.</summary>
    public static HeldHistory Load(DuckDBConnection connection, FeatureViewDefinition view, IReadOnlyList<LocalFile> files, int capacity)
    {
        var held = new HeldHistory(view, capacity);
        var features = view.Features.Select(f => f.Name).ToList();
        var keys = view.JoinKeys.Select(k => DuckDbTypes.Quote(k.Name)).ToList();
        var hasCreated = view.Source.CreatedTimestampField is not null;
        var columns = keys.Append(PointInTimeJoinSql.EventColumn).Append(hasCreated ? PointInTimeJoinSql.CreatedColumn : "NULL")
            .Concat(features.Select(f => DuckDbTypes.Quote(PointInTimeJoinSql.FeatureColumn(0, f))));
        // Each key's rows together, in time order (the order only decides among full ties, which the rule leaves open).
        var order = keys.Append(PointInTimeJoinSql.EventColumn)
            .Concat(hasCreated ? [$"{PointInTimeJoinSql.CreatedColumn} NULLS FIRST"] : []);
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {string.Join(", ", columns)} FROM ({PointInTimeJoinSql.ViewRows(view, files, null, features, 0)}) " +
                              $"ORDER BY {string.Join(", ", order)}";
        using var reader = command.ExecuteReader();
        var (rows, keyCount, start) = (0, keys.Count, 0);
        EntityKey? current = null;
        while (reader.Read())
        {
            if (rows == capacity) throw new InvalidOperationException($"the history holds more than the {capacity} rows its files list");
            var key = KeyOf(view, k => reader.IsDBNull(k) ? null : reader.GetValue(k));
            if (key != current)
            {
                if (current is { } previous) held._byKey[previous] = (start, rows - start);
                (current, start) = (key, rows);
            }
            held._events[rows] = FeatureValues.ToTimestamp(reader.GetValue(keyCount))!.Value.UtcTicks;
            held._created[rows] = reader.IsDBNull(keyCount + 1) ? long.MinValue
                : FeatureValues.ToTimestamp(reader.GetValue(keyCount + 1))!.Value.UtcTicks;
            for (var f = 0; f < features.Count; f++) held._features[features[f]].Read(reader, keyCount + 2 + f, rows);
            rows++;
        }
        if (current is { } last) held._byKey[last] = (start, rows - start);
        // A row without a key value joins no entity row, as in SQL; it was indexed under no key.
        held._byKey.Remove(NoKey);
        held.Rows = rows;
        held.Bytes = capacity * (16 + held._features.Values.Sum(c => c.BytesPerRow)) + held._byKey.Count * 64L;
        return held;
    }

    /// <summary>The table that <see cref="AnswerInto"/> fills: per entity row with a candidate, its number, the winner's event time
    /// and <paramref name="features"/>, named as the join names them for view <paramref name="index"/>.</summary>
    public string AnswerTable(string table, int index, IReadOnlyList<string> features)
    {
        var columns = features.Select(f =>
            $", {DuckDbTypes.Quote(PointInTimeJoinSql.FeatureColumn(index, f))} {DuckDbTypes.ToSql(_view.FindFeature(f)!.Type)}");
        return $"CREATE TABLE {table} ({PointInTimeJoinSql.RowColumn} BIGINT, {PointInTimeJoinSql.EventColumn} TIMESTAMPTZ" +
               $"{string.Concat(columns)})";
    }

    /// <summary>Answers the entity rows into the table <see cref="AnswerTable"/> created: the join then reads it instead of the
    /// files.</summary>
    public void AnswerInto(DuckDBConnection connection, string table, IReadOnlyList<string> features, IReadOnlyList<HeldQuery> queries)
    {
        var chosen = features.Select(f => _features[f]).ToList();
        using var appender = connection.CreateAppender(table);
        foreach (var query in queries)
        {
            if (Newest(query) is not { } winner) continue;
            var row = appender.CreateRow().AppendValue(query.Row).AppendValue(new DateTimeOffset(_events[winner], TimeSpan.Zero));
            foreach (var column in chosen) row = column.Append(row, winner);
            row.EndRow();
        }
    }

    /// <summary>The held row that answers the entity row, if any.</summary>
    private int? Newest(HeldQuery query)
    {
        if (!_byKey.TryGetValue(KeyOf(_view, k => query.Keys.GetValueOrDefault(_view.JoinKeys[k].Name)), out var range)) return null;
        var (found, winner) = PointInTime.Match(Candidates(range), query.Time, _view.Ttl);
        return found ? winner : null;
    }

    private IEnumerable<(RowTime Time, int Row)> Candidates((int Start, int Count) range)
    {
        for (var row = range.Start; row < range.Start + range.Count; row++)
            yield return (new RowTime(new DateTimeOffset(_events[row], TimeSpan.Zero),
                _created[row] == long.MinValue ? null : new DateTimeOffset(_created[row], TimeSpan.Zero)), row);
    }

    private static readonly EntityKey NoKey = new("");

    private static EntityKey KeyOf(FeatureViewDefinition view, Func<int, object?> value)
    {
        var parts = new KeyValuePair<string, string>[view.JoinKeys.Count];
        for (var k = 0; k < parts.Length; k++)
        {
            if (EntityKey.ValueText(view.JoinKeys[k].Type, value(k)) is not { } text) return NoKey;
            parts[k] = KeyValuePair.Create(view.JoinKeys[k].Name, text);
        }
        return EntityKey.Compose(parts);
    }
}
