using FeatureStore.Domain;
using FeatureStore.FeatureApi.Serving;

namespace FeatureStore.FeatureApi.Historical;

/// <summary>A view's committed offline files, as local paths.</summary>
public sealed record ViewFiles(FeatureViewDefinition View, IReadOnlyList<string> Paths);

/// <summary>
/// The historical retrieval query (DuckDB), built from the point-in-time rule's one SQL form
/// (<see cref="PointInTime.SqlCandidate"/>) and the one newest-first order (<see cref="RowTime.SqlNewestFirst"/>).
/// Per view: rows equal in keys and event time are reduced to the newest (greatest created time, then the
/// later row); an ASOF LEFT JOIN finds, per entity row, the newest event at or before its time; features
/// are null when that event is outside the TTL. On-demand features are then computed over the joined
/// inputs (<see cref="OnDemandSql"/>). Entity rows keep their order, duplicates and every column of their own.
/// </summary>
public static class PointInTimeJoinSql
{
    public const string EntityTable = "entity_df";
    public const string RowColumn = OnDemandSql.RowColumn;

    public static string Query(FeatureSelection selection, IReadOnlyList<ViewFiles> files, string timestampColumn,
        IReadOnlyList<string> entityColumns)
    {
        var ctes = new List<string>();
        var joins = new List<string>();
        var internalName = new Dictionary<(string View, string Feature), string>();
        for (var i = 0; i < files.Count; i++)
        {
            var (view, paths) = files[i];
            var features = NeededFeatures(selection, view);
            if (features.Count == 0) continue;
            foreach (var feature in features) internalName[(view.Name, feature)] = $"__v{i}_{feature}";
            ctes.Add($"fv{i} AS ({Deduplicated(view, paths, features)})");
            ctes.Add($"j{i} AS ({AsOfJoin(view, features, i, timestampColumn)})");
            joins.Add($"LEFT JOIN j{i} USING ({RowColumn})");
        }

        var onDemand = selection.OnDemandViews.ToList();
        for (var k = 0; k < onDemand.Count; k++)
        {
            var view = onDemand[k];
            var inputs = OnDemandSql.StoredColumns(view).Select(c => c.Input is { } input
                ? $"{Q(internalName[(Latest(selection, input.View).Name, input.Feature)])} AS {Q(c.Name)}"
                : $"CAST(e.{Q(c.Name)} AS {DuckDbTypes.ToSql(c.Type)}) AS {Q(c.Name)}");
            var relation = $"(SELECT e.{RowColumn}, {string.Join(", ", inputs)} FROM {EntityTable} e {string.Join(" ", joins)})";
            ctes.Add($"od{k} AS ({OnDemandSql.Evaluate(view, relation)})");
        }

        var outputs = selection.Outputs.Select(o => o.View is { } v
            ? $"{Q(internalName[(v.Name, o.Ref.Feature)])} AS {Q(o.OutputName)}"
            : $"od{onDemand.IndexOf(o.OnDemand!)}.{Q(o.Ref.Feature)} AS {Q(o.OutputName)}");
        var onDemandJoins = Enumerable.Range(0, onDemand.Count).Select(k => $"LEFT JOIN od{k} USING ({RowColumn})");
        return $"""
            WITH {string.Join(",\n", ctes)}
            SELECT {string.Join(", ", entityColumns.Select(c => $"e.{Q(c)}").Concat(outputs))}
            FROM {EntityTable} e {string.Join(" ", joins.Concat(onDemandJoins))}
            ORDER BY e.{RowColumn}
            """;
    }

    /// <summary>The features of a view the query needs: those asked for and those on-demand views read.</summary>
    private static List<string> NeededFeatures(FeatureSelection selection, FeatureViewDefinition view) =>
        selection.Outputs.Where(o => o.View == view).Select(o => o.Ref.Feature)
            .Concat(Latest(selection, view.Name) == view
                ? selection.OnDemandViews.SelectMany(d => d.Inputs).Where(i => i.View == view.Name).Select(i => i.Feature) : [])
            .Distinct().ToList();

    /// <summary>On-demand views read the latest version of their input views.</summary>
    private static FeatureViewDefinition Latest(FeatureSelection selection, string view) =>
        selection.Views.Where(v => v.Name == view).MaxBy(v => v.Version)!;

    private static string Deduplicated(FeatureViewDefinition view, IReadOnlyList<string> paths, List<string> features)
    {
        var keys = view.JoinKeys.Select(k => $"CAST({Q(k.Name)} AS {DuckDbTypes.ToSql(k.Type)}) AS {Q(k.Name)}");
        var values = features.Select(f => $"CAST({Q(f)} AS {DuckDbTypes.ToSql(view.FindFeature(f)!.Type)}) AS {Q(f)}");
        var columns = string.Join(", ", keys.Append($"{FeatureNames.EventTimestamp}::TIMESTAMPTZ AS {FeatureNames.EventTimestamp}").Concat(values));
        if (paths.Count == 0) return $"SELECT {columns} FROM (SELECT NULL AS {string.Join(", NULL AS ", view.JoinKeys.Select(k => Q(k.Name)).Append(FeatureNames.EventTimestamp).Concat(features.Select(Q)))}) WHERE false";
        var files = $"read_parquet([{string.Join(", ", paths.Select(Literal))}], union_by_name = true, filename = true, file_row_number = true)";
        var partition = string.Join(", ", view.JoinKeys.Select(k => Q(k.Name)).Append(FeatureNames.EventTimestamp));
        var newest = RowTime.SqlNewestFirst(FeatureNames.EventTimestamp, FeatureNames.CreatedTimestamp, $"filename DESC, {FeatureNames.FileRowNumber}");
        return $"SELECT {columns} FROM {files} QUALIFY row_number() OVER (PARTITION BY {partition} ORDER BY {newest}) = 1";
    }

    private static string AsOfJoin(FeatureViewDefinition view, List<string> features, int i, string timestampColumn)
    {
        var ts = $"e.{Q(timestampColumn)}";
        var eventTime = $"f.{FeatureNames.EventTimestamp}";
        var match = string.Join(" AND ", view.JoinKeys.Select(k => $"e.{Q(k.Name)} = f.{Q(k.Name)}").Append($"{ts} >= {eventTime}"));
        var candidate = PointInTime.SqlCandidate(eventTime, ts, view.Ttl);
        var values = features.Select(f => $"CASE WHEN {candidate} THEN f.{Q(f)} END AS {Q($"__v{i}_{f}")}");
        return $"SELECT e.{RowColumn}, {string.Join(", ", values)} FROM {EntityTable} e ASOF LEFT JOIN fv{i} f ON {match}";
    }

    private static string Q(string name) => DuckDbTypes.Quote(name);

    public static string Literal(string text) => "'" + text.Replace("'", "''") + "'";
}
