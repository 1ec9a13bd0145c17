using FeatureStore.Domain;
using FeatureStore.FeatureApi.Serving;

namespace FeatureStore.FeatureApi.Historical;

/// <summary>A committed offline file as a local path, with the event-time windows whose rows later commits replaced.</summary>
public sealed record LocalFile(string Path, IReadOnlyList<TimeWindow> Masks);

/// <summary>A view's offline history as the join reads it: its visible files, as local paths, and the event times the entity
/// rows can reach in them (<see cref="PointInTime.Reach"/>; null for a frame without rows, which reaches no file); or, when
/// <see cref="Held"/>, no files: the table <see cref="PointInTimeJoinSql.HeldTable"/> already holds each entity row's answer
/// (<see cref="HeldHistory.AnswerInto"/>). <see cref="EventTies"/>: whether two of its rows may share keys and event time
/// (<see cref="OfflineSnapshot.EventTies"/>); only then is the created-time tie-break run.</summary>
public sealed record ViewFiles(FeatureViewDefinition View, IReadOnlyList<LocalFile> Files, TimeWindow? Reach, HeldHistory? Held = null,
    bool EventTies = true);

/// <summary>
/// The historical retrieval query (DuckDB), built from the point-in-time rule's one SQL form
/// (<see cref="PointInTime.SqlCandidate"/>). Per view, an ASOF LEFT JOIN finds for each entity row the newest
/// row at or before its time; features are null when that row is outside the TTL. When the view's source has a
/// created time and its history may hold rows that tie on keys and event time (<see cref="ViewFiles.EventTies"/>), the
/// tie-break among rows of the matched event time takes a second, narrow step: the ASOF join
/// finds only the matched event time per entity row (keys and times, no features), then an equi-join on
/// (keys, that time) collects the rows that tie on it and keeps, per entity row, the newest of them by
/// <see cref="RowTime.SqlNewestAmongEventTies"/> (on a full tie, one of them). (Ordering the ASOF join by an
/// (event, created) key instead costs a 128-bit sort over the whole table: 1.4× slower at 10M rows.) A view's rows
/// are those its history shows (<see cref="OfflineVisibility"/>): files read whole, or without the windows later
/// commits replaced, and only within the entity rows' reach (<see cref="PointInTime.Reach"/>). For a few entity rows
/// (<c>byKey</c>) each view is instead joined on its keys with the candidate rule as the condition, read once, keeping the
/// newest candidate by <see cref="RowTime.SqlNewest"/>.
/// On-demand features are then computed over the joined inputs (<see cref="OnDemandSql"/>). Entity rows keep
/// their order, duplicates and every column of their own.
/// </summary>
public static class PointInTimeJoinSql
{
    public const string EntityTable = "entity_df";
    public const string RowColumn = OnDemandSql.RowColumn;

    public const string EventColumn = "__event";
    public const string CreatedColumn = "__created";
    private const string Newest = "__newest";

    /// <summary>The column of <paramref name="feature"/> of the query's view <paramref name="index"/>.</summary>
    public static string FeatureColumn(int index, string feature) => $"__v{index}_{feature}";

    /// <summary>The table of view <paramref name="index"/>'s answers when a held history gave them.</summary>
    public static string HeldTable(int index) => $"held{index}";

    public static string Query(FeatureSelection selection, IReadOnlyList<ViewFiles> files, string timestampColumn,
        IReadOnlyList<string> entityColumns, bool byKey = false)
    {
        var ts = $"e.{Q(timestampColumn)}";
        var joins = new List<string>();
        var joined = new List<string>();
        var steps = new List<string>();
        var internalName = new Dictionary<(string View, string Feature), string>();
        for (var i = 0; i < files.Count; i++)
        {
            var (view, viewFiles, reach, _, ties) = files[i];
            var features = NeededFeatures(selection, view);
            if (features.Count == 0) continue;
            var candidate = PointInTime.SqlCandidate($"f{i}.{EventColumn}", ts, view.Ttl);
            var names = features.Select(feature => internalName[(view.Name, feature)] = FeatureColumn(i, feature)).ToList();
            joined.AddRange(names.Select(name => $"CASE WHEN {candidate} THEN f{i}.{Q(name)} END AS {Q(name)}"));
            if (files[i].Held is not null)
            {
                joins.Add($"LEFT JOIN {HeldTable(i)} f{i} ON f{i}.{RowColumn} = e.{RowColumn}");
                continue;
            }
            var rows = ViewRows(view, viewFiles, reach, features, i);
            // Without ties the row the ASOF join finds is the only one of its event time: nothing to break.
            if (!byKey && (view.Source.CreatedTimestampField is null || !ties))
                joins.Add($"ASOF LEFT JOIN ({rows}) f{i} ON {KeysMatch(view, "e", $"f{i}")} AND {ts} >= f{i}.{EventColumn}");
            else
            {
                steps.AddRange(byKey ? [NewestByKey(view, rows, names, i, timestampColumn)]
                    : NewestByCreated(view, rows, names, i, timestampColumn));
                joins.Add($"LEFT JOIN t{i} f{i} ON f{i}.{RowColumn} = e.{RowColumn}");
            }
        }
        var chain = $"SELECT e.{RowColumn}, {string.Join(", ", entityColumns.Select(c => $"e.{Q(c)}").Concat(joined))} " +
                    $"FROM {EntityTable} e {string.Join(" ", joins)}";

        var onDemand = selection.OnDemandViews.ToList();
        // On-demand views read the joined rows a second time: only then is the join kept rather than streamed.
        var ctes = new List<string>(steps) { onDemand.Count > 0 ? $"j AS MATERIALIZED ({chain})" : $"j AS ({chain})" };
        for (var k = 0; k < onDemand.Count; k++)
        {
            var view = onDemand[k];
            var inputs = OnDemandSql.StoredColumns(view).Select(c => c.Input is { } input
                ? $"{Q(internalName[(selection.LatestView(input.View).Name, input.Feature)])} AS {Q(c.Name)}"
                : $"CAST({Q(c.Name)} AS {DuckDbTypes.ToSql(c.Type)}) AS {Q(c.Name)}");
            ctes.Add($"od{k} AS ({OnDemandSql.Evaluate(view, $"(SELECT {RowColumn}, {string.Join(", ", inputs)} FROM j)")})");
        }
        var outputs = selection.Outputs.Select(o => o.View is { } v
            ? $"j.{Q(internalName[(v.Name, o.Ref.Feature)])} AS {Q(o.OutputName)}"
            : $"od{onDemand.IndexOf(o.OnDemand!)}.{Q(o.Ref.Feature)} AS {Q(o.OutputName)}");
        var onDemandJoins = Enumerable.Range(0, onDemand.Count).Select(k => $"LEFT JOIN od{k} USING ({RowColumn})");
        return $"""
            WITH {string.Join(",\n", ctes)}
            SELECT {string.Join(", ", entityColumns.Select(c => $"j.{Q(c)}").Concat(outputs))}
            FROM j {string.Join(" ", onDemandJoins)}
            ORDER BY j.{RowColumn}
            """;
    }

    /// <summary>
    /// For a view whose source has created times: <c>m{i}</c>, the newest event time at or before each entity row's
    /// (an ASOF join over keys and times only), and <c>t{i}</c>, per entity row the features of the newest row with that
    /// event time (<see cref="RowTime"/>).
    /// </summary>
    private static IEnumerable<string> NewestByCreated(FeatureViewDefinition view, string rows, List<string> names, int i,
        string timestampColumn)
    {
        var keys = string.Join(", ", view.JoinKeys.Select(k => $"e.{Q(k.Name)}"));
        yield return $"m{i} AS (SELECT e.{RowColumn}, {keys}, f.{EventColumn} FROM {EntityTable} e " +
                     $"ASOF JOIN ({rows}) f ON {KeysMatch(view, "e", "f")} AND e.{Q(timestampColumn)} >= f.{EventColumn})";
        var features = string.Join(", ", names.Select(c => $"'{c}': f.{Q(c)}"));
        var newest = RowTime.SqlNewestAmongEventTies($"{{{features}}}", $"f.{CreatedColumn}");
        yield return $"t{i} AS (SELECT {RowColumn}, {EventColumn}, unnest({Newest}) FROM (" +
                     $"SELECT m.{RowColumn}, any_value(m.{EventColumn}) AS {EventColumn}, {newest} AS {Newest} " +
                     $"FROM m{i} m JOIN ({rows}) f ON {KeysMatch(view, "m", "f")} AND f.{EventColumn} = m.{EventColumn} " +
                     $"GROUP BY m.{RowColumn}))";
    }

    /// <summary>
    /// The form for a few entity rows: <c>t{i}</c>, per entity row the event time and features of the newest candidate
    /// (<see cref="PointInTime.SqlCandidate"/>, <see cref="RowTime.SqlNewest"/>), found by a join on the keys that reads the view
    /// once. Each entity row meets every row of its keys, so it is kept for small frames.
    /// </summary>
    private static string NewestByKey(FeatureViewDefinition view, string rows, List<string> names, int i, string timestampColumn)
    {
        var candidate = PointInTime.SqlCandidate($"f.{EventColumn}", $"e.{Q(timestampColumn)}", view.Ttl);
        var values = string.Join(", ", names.Select(c => $"'{c}': f.{Q(c)}").Prepend($"'{EventColumn}': f.{EventColumn}"));
        var newest = RowTime.SqlNewest($"{{{values}}}", $"f.{EventColumn}",
            view.Source.CreatedTimestampField is null ? null : $"f.{CreatedColumn}");
        return $"t{i} AS (SELECT {RowColumn}, unnest({Newest}) FROM (SELECT e.{RowColumn}, {newest} AS {Newest} " +
               $"FROM {EntityTable} e JOIN ({rows}) f ON {KeysMatch(view, "e", "f")} AND {candidate} GROUP BY e.{RowColumn}))";
    }

    private static string KeysMatch(FeatureViewDefinition view, string left, string right) =>
        string.Join(" AND ", view.JoinKeys.Select(k => $"{left}.{Q(k.Name)} = {right}.{Q(k.Name)}"));

    /// <summary>The features of a view the query needs: those asked for and those on-demand views read.</summary>
    public static List<string> NeededFeatures(FeatureSelection selection, FeatureViewDefinition view) =>
        selection.Outputs.Where(o => o.View == view).Select(o => o.Ref.Feature)
            .Concat(selection.LatestView(view.Name) == view
                ? selection.OnDemandViews.SelectMany(d => d.Inputs).Where(i => i.View == view.Name).Select(i => i.Feature) : [])
            .Distinct().ToList();

    /// <summary>A view's rows as the join reads them: typed keys, event time, the created time when the source has one, and the needed
    /// features.</summary>
    public static string ViewRows(FeatureViewDefinition view, IReadOnlyList<LocalFile> files, TimeWindow? reach, List<string> features,
        int i)
    {
        var columns = view.JoinKeys.Select(k => $"CAST({Q(k.Name)} AS {DuckDbTypes.ToSql(k.Type)}) AS {Q(k.Name)}")
            .Append($"CAST({FeatureNames.EventTimestamp} AS TIMESTAMPTZ) AS {EventColumn}")
            .Concat(features.Select(f => $"CAST({Q(f)} AS {DuckDbTypes.ToSql(view.FindFeature(f)!.Type)}) AS {Q(FeatureColumn(i, f))}"));
        if (view.Source.CreatedTimestampField is not null)
            columns = columns.Append($"CAST({FeatureNames.CreatedTimestamp} AS TIMESTAMPTZ) AS {CreatedColumn}");
        var select = $"SELECT {string.Join(", ", columns)}";
        if (files.Count == 0)
        {
            var empty = view.JoinKeys.Select(k => Q(k.Name)).Append(FeatureNames.EventTimestamp).Append(FeatureNames.CreatedTimestamp)
                .Concat(features.Select(Q));
            return $"{select} FROM (SELECT {string.Join(", ", empty.Select(c => $"NULL AS {c}"))}) WHERE false";
        }
        // The stored column, not its cast, is compared, so Parquet's row-group statistics skip what is out of reach.
        var reached = reach is { } r
            ? $"{FeatureNames.EventTimestamp} <= {DuckDbTypes.Timestamp(r.End)}" +
              (r.Start == DateTimeOffset.MinValue ? "" : $" AND {FeatureNames.EventTimestamp} >= {DuckDbTypes.Timestamp(r.Start)}")
            : "true";
        // Most files are read whole, in one scan; the few that later commits partly replaced are read each without those windows.
        var parts = new List<string>();
        var whole = files.Where(f => f.Masks.Count == 0).Select(f => DuckDbTypes.Literal(f.Path)).ToList();
        if (whole.Count > 0) parts.Add($"{select} FROM read_parquet([{string.Join(", ", whole)}], union_by_name = true) WHERE {reached}");
        foreach (var file in files.Where(f => f.Masks.Count > 0))
            parts.Add($"{select} FROM read_parquet({DuckDbTypes.Literal(file.Path)}) WHERE {reached} " +
                      $"AND {OfflineVisibility.SqlKept($"CAST({FeatureNames.EventTimestamp} AS TIMESTAMPTZ)", file.Masks)}");
        return string.Join(" UNION ALL ", parts);
    }

    private static string Q(string name) => DuckDbTypes.Quote(name);
}
