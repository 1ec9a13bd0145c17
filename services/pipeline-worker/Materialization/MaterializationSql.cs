using System.Globalization;
using System.Text;
using System.Text.Json;
using FeatureStore.Domain;

namespace FeatureStore.PipelineWorker.Materialization;

/// <summary>One validation rule of one feature, as a column of the result: true where a row breaks it.</summary>
public sealed record RuleColumn(string Feature, string Rule, string Column);

/// <summary>
/// The SQL of one materialization run of a view over a window (inclusive) and one entity partition:
/// the view's transformation over the source, its windowed aggregations evaluated at every event time
/// (each row's values use only rows at or before it, <see cref="AggregationWindows"/>), its validation
/// rules (a broken value becomes null, then the default), slice by slice into Parquet files that view
/// <c>result</c> reads; then what the outputs read from it: counts, statistics, the latest row per
/// entity (<see cref="RowTime"/>) and the offline table.
/// </summary>
public sealed partial class MaterializationSql(FeatureViewDefinition view, TimeWindow window, int partitionIndex, int partitionCount)
{
    public const string Result = "result";
    public const string EventTime = "__event_time";
    public const string CreatedTime = "__created_time";
    public const string RowNumber = "__row";
    public const string OfflineEventTime = FeatureNames.EventTimestamp;
    public const string OfflineCreatedTime = FeatureNames.CreatedTimestamp;

    private static string Q(string name) => DuckDbTypes.Quote(name);

    private IReadOnlyList<Aggregation> Aggregations => view.Aggregations ?? [];

    private string Keys => string.Join(", ", view.JoinKeys.Select(k => Q(k.Name)));

    public string Transformed =>
        $"CREATE TEMP VIEW transformed AS {view.TransformationSql?.TrimEnd().TrimEnd(';') ?? "SELECT * FROM source"}";

    /// <summary>The columns the transformed source must have for this view.</summary>
    public IEnumerable<string> RequiredColumns =>
        view.JoinKeys.Select(k => k.Name).Append(view.Source.TimestampField).Append(view.Source.CreatedTimestampField).OfType<string>()
            .Concat(view.Features.Where(f => !IsAggregated(f.Name)).Select(f => f.Name))
            .Concat(Aggregations.Select(a => a.Column)).Distinct();

    public IReadOnlyList<RuleColumn> RuleColumns { get; } = RulesOf(view);

    private bool IsAggregated(string feature) => Aggregations.Any(a => a.Name == feature);

    private string KeyHash => $"hash({Keys})";

    /// <summary>Which entities are this partition's (the same split as <see cref="ComputeSlice"/>), over key columns as given.</summary>
    private string InPartition(string keys) =>
        partitionCount > 1 ? string.Create(CultureInfo.InvariantCulture, $"hash({keys}) % {partitionCount} = {partitionIndex}") : "true";

    private TimeWindow Window => window;

    private FeatureViewDefinition View => view;

    /// <summary>
    /// Computes the rows of the window, partition and slice <paramref name="slice"/> of <paramref name="slices"/>
    /// into the Parquet file <paramref name="path"/>. Slices split the partition's entities again by key hash
    /// (all rows of an entity fall in one slice, so its windows are whole), which bounds a run's memory by
    /// the slice, not the input.
    /// </summary>
    public string ComputeSlice(int slice, int slices, string path, bool hasRowNumber)
    {
        var timestamp = Q(view.Source.TimestampField);
        var lookback = AggregationWindows.Lookback(Aggregations);
        var scope = new StringBuilder(
            $"CAST({timestamp} AS TIMESTAMPTZ) BETWEEN {DuckDbTypes.Timestamp(window.Start - lookback)}" +
                $" AND {DuckDbTypes.Timestamp(window.End)}");
        if (partitionCount > 1) scope.Append(CultureInfo.InvariantCulture, $" AND {KeyHash} % {partitionCount} = {partitionIndex}");
        if (slices > 1) scope.Append(CultureInfo.InvariantCulture, $" AND ({KeyHash} // {partitionCount}) % {slices} = {slice}");
        foreach (var key in view.JoinKeys) scope.Append($" AND {Q(key.Name)} IS NOT NULL");

        var features = view.Features.Select(f => IsAggregated(f.Name)
            ? $"CAST({AggregateOf(Aggregations.First(a => a.Name == f.Name))} AS {DuckDbTypes.ToSql(f.Type)}) AS {Q(f.Name)}"
            : $"CAST({Q(f.Name)} AS {DuckDbTypes.ToSql(f.Type)}) AS {Q(f.Name)}");
        var created = view.Source.CreatedTimestampField is { } c ? $"CAST({Q(c)} AS TIMESTAMPTZ)" : "CAST(NULL AS TIMESTAMPTZ)";
        var computed = $"""
            SELECT {Keys}, __ts AS {EventTime}, {created} AS {CreatedTime},
                   {(hasRowNumber ? FeatureNames.FileRowNumber : "CAST(NULL AS BIGINT)")} AS {RowNumber},
                   {string.Join(",\n       ", features)}
            FROM (SELECT *, CAST({timestamp} AS TIMESTAMPTZ) AS __ts FROM transformed WHERE {scope}) scoped
            """;
        var validated = view.Features.Select(f => $"{Validated(f)} AS {Q(f.Name)}")
            .Concat(RuleColumns.Select(r => $"{BrokenBy(view.Features.First(f => f.Name == r.Feature), r.Rule)} AS {Q(r.Column)}"));
        return $"""
            COPY (SELECT {Keys}, {EventTime}, {CreatedTime}, {RowNumber},
                         {string.Join(",\n       ", validated)}
                  FROM ({computed}) computed
                  WHERE {EventTime} BETWEEN {DuckDbTypes.Timestamp(window.Start)} AND {DuckDbTypes.Timestamp(window.End)})
            TO {DuckDbRun.Literal(path)} (FORMAT PARQUET, COMPRESSION snappy)
            """;
    }

    /// <summary>View <c>result</c>: every slice's rows (the files matching <paramref name="pattern"/>), which the outputs read.</summary>
    public static string ResultView(string pattern) =>
        $"CREATE TEMP VIEW {Result} AS SELECT * FROM read_parquet({DuckDbRun.Literal(pattern)}, hive_partitioning = false)";

    private string AggregateOf(Aggregation aggregation)
    {
        var column = Q(aggregation.Column);
        var call = aggregation.Function switch
        {
            AggregationFunction.Count => $"count({column})",
            AggregationFunction.CountDistinct => $"count(DISTINCT {column})",
            AggregationFunction.Sum => $"sum({column})",
            AggregationFunction.Avg => $"avg({column})",
            AggregationFunction.Min => $"min({column})",
            AggregationFunction.Max => $"max({column})",
            _ => throw new ArgumentOutOfRangeException(nameof(aggregation)),
        };
        return $"{call} OVER (PARTITION BY {Keys} ORDER BY __ts {AggregationWindows.SqlFrame(aggregation.Window)})";
    }

    // A broken value becomes null, then the default where there is one ("defaults fill nulls").
    private static string Validated(FeatureField feature)
    {
        var value = Q(feature.Name);
        if (feature.Rules is not { } rules) return value;
        var broken = FieldRuleChecks.ValueRules(rules).Select(r => FieldRuleChecks.SqlBroken(feature, r, value)).ToList();
        var kept = broken.Count == 0 ? value : $"CASE WHEN {string.Join(" OR ", broken)} THEN NULL ELSE {value} END";
        return rules.Default is not null ? $"COALESCE({kept}, {FieldRuleChecks.SqlDefault(feature)})" : kept;
    }

    private static string BrokenBy(FeatureField feature, string rule) =>
        rule == FieldRuleChecks.NotNull ? $"({Q(feature.Name)} IS NULL)"
            : $"COALESCE({FieldRuleChecks.SqlBroken(feature, rule, Q(feature.Name))}, false)";

    private static IReadOnlyList<RuleColumn> RulesOf(FeatureViewDefinition view) =>
        view.Features.Where(f => f.Rules is not null)
            .SelectMany(f => FieldRuleChecks.ValueRules(f.Rules!)
                .Concat(FieldRuleChecks.ChecksNotNull(f.Rules!) ? [FieldRuleChecks.NotNull] : [])
                .Select(rule => new RuleColumn(f.Name, rule, $"__broke_{f.Name}_{rule}")))
            .ToList();

    /// <summary>Rows in the result, rows breaking any rule, the newest event time, then rows breaking each rule (in
    /// <see cref="RuleColumns"/> order).</summary>
    public string ValidationCounts()
    {
        var any = RuleColumns.Count == 0 ? "0" : $"count(*) FILTER (WHERE {string.Join(" OR ", RuleColumns.Select(r => Q(r.Column)))})";
        var each = string.Concat(RuleColumns.Select(r => $", count(*) FILTER (WHERE {Q(r.Column)})"));
        return $"SELECT count(*), {any}, max({EventTime}){each} FROM {Result}";
    }

    /// <summary>
    /// The newest row of each entity of one slice file (the online store's content), features in declaration
    /// order after keys and times. The winners are ranked on narrow columns, then fetched by row number: a
    /// sort that carries every feature costs twice as much.
    /// </summary>
    public string LatestPerEntity(string sliceFile)
    {
        var rows = $"read_parquet({DuckDbRun.Literal(sliceFile)}, file_row_number = true)";
        return $"""
            SELECT {Keys}, {EventTime}, {CreatedTime}, {string.Join(", ", view.Features.Select(f => Q(f.Name)))}
            FROM {rows}
            WHERE file_row_number IN (
                SELECT file_row_number FROM {rows}
                QUALIFY row_number() OVER (PARTITION BY {Keys} ORDER BY {RowTime.SqlNewestFirst(EventTime, CreatedTime, RowNumber)}) = 1)
            """;
    }

    /// <summary>Whether two rows of a slice file share keys and event time.</summary>
    public string EventTiesIn(string sliceFile) =>
        $"SELECT EXISTS (SELECT 1 FROM read_parquet({DuckDbRun.Literal(sliceFile)}) GROUP BY {Keys}, {EventTime} HAVING count(*) > 1)";

    /// <summary>About how many entities the slice files hold (a sketch: it sizes progress reports only).</summary>
    public string EntityEstimate(IEnumerable<string> sliceFiles) =>
        $"SELECT approx_count_distinct({KeyHash}) FROM read_parquet([{string.Join(", ", sliceFiles.Select(DuckDbRun.Literal))}])";

    /// <summary>The offline table's rows of the run: keys, event and created time under their stored names, features.</summary>
    public string OfflineRows => $"""
        SELECT {Keys}, {EventTime} AS {OfflineEventTime}, {CreatedTime} AS {OfflineCreatedTime},
               {string.Join(", ", view.Features.Select(f => Q(f.Name)))}
        FROM {Result}
        """;

    // Quantiles come from a uniform sample of this many values per feature: exact below it, within about
    // a percentile above it, for a fraction of the cost of a sketch over every row.
    private const int QuantileSample = 16_384;

    /// <summary>One row of per-feature statistics; <see cref="RunStatistics"/> reads it back in the same order.</summary>
    public string Statistics()
    {
        var columns = view.Features.SelectMany(f =>
        {
            var v = Q(f.Name);
            var common = new[] { $"count({v})", $"count(*) - count({v})" };
            var specific = f.Type switch
            {
                _ when f.Type.IsNumeric() => new[]
                {
                    $"avg({v})", $"stddev_samp({v})", $"CAST(min({v}) AS DOUBLE)", $"CAST(max({v}) AS DOUBLE)",
                    $"reservoir_quantile({v}, [0.05, 0.25, 0.5, 0.75, 0.95], {QuantileSample})", "CAST(NULL AS BIGINT)",
                },
                FeatureValueType.Bool => [$"avg(CAST({v} AS INTEGER))", "NULL", "NULL", "NULL", "NULL", "CAST(NULL AS BIGINT)"],
                FeatureValueType.Timestamp => ["NULL", "NULL", $"epoch(min({v}))", $"epoch(max({v}))", "NULL", "CAST(NULL AS BIGINT)"],
                FeatureValueType.String or FeatureValueType.Bytes =>
                    ["NULL", "NULL", "NULL", "NULL", "NULL", $"approx_count_distinct({v})"],
                _ => ["NULL", "NULL", "NULL", "NULL", "NULL", "CAST(NULL AS BIGINT)"],
            };
            return common.Concat(specific);
        });
        return $"SELECT {string.Join(", ", columns)} FROM {Result}";
    }
}
