using FeatureStore.Domain;

namespace FeatureStore.IntegrationTests.Pipeline;

/// <summary>
/// A run computes in slices of entities so its memory follows the slice size, not the input. Slicing must
/// not show: windowed aggregations, validation, the latest row per entity and statistics come out the
/// same in many slices (and partitions) as in one.
/// </summary>
public sealed class SliceTests
{
    private static readonly DateTime T = new(2024, 6, 1, 0, 0, 0, DateTimeKind.Utc);

    private static readonly FeatureViewDefinition View = new(
        "default", "activity", [new ViewEntity("customer", [new JoinKey("customer_id", FeatureValueType.Int64)])],
        new ViewSource("events", SourceKind.Batch, "sources/default/activity.parquet", "event_timestamp", "created"),
        [
            new FeatureField("events_1d", FeatureValueType.Int64),
            new FeatureField("spend_7d", FeatureValueType.Float64, Rules: new FieldRules(Max: 200)),
            new FeatureField("kind", FeatureValueType.String),
        ],
        TimeSpan.Zero, ObjectMetadata.Empty,
        Aggregations: [new Aggregation("events_1d", AggregationFunction.Count, "amount", TimeSpan.FromDays(1)),
                       new Aggregation("spend_7d", AggregationFunction.Sum, "amount", TimeSpan.FromDays(7))],
        MaxInvalidRate: 1, Version: 1);

    // 1 000 events of 60 customers over 20 days, with ties (two events at one time) and a created time on some.
    private static readonly ActivityRow[] Events = Enumerable.Range(0, 1_000).Select(i => new ActivityRow
    {
        customer_id = i * 7 % 60,
        event_timestamp = T.AddHours(i / 2 * 1.0),
        created = i % 3 == 0 ? T.AddHours(i / 2 + 0.5) : null,
        amount = i % 13 * 5,
        kind = (i % 4) switch { 0 => "view", 1 => "cart", 2 => "buy", _ => null },
    }).ToArray();

    [Fact]
    public async Task Many_slices_and_partitions_give_what_one_slice_gives()
    {
        var whole = new LocalPipeline();
        var sliced = new LocalPipeline(rowsPerSlice: 90); // 1 000 source rows: 12 slices in one partition, 4 in each of three
        await whole.PutAsync("sources/default/activity.parquet", Events);
        await sliced.PutAsync("sources/default/activity.parquet", Events);
        var window = new TimeWindow(T.AddDays(2), T.AddDays(15));

        var expected = await whole.RunAsync(View, window);
        var oneRun = await sliced.RunAsync(View, window);
        var partitions = new List<FeatureStore.PipelineWorker.Materialization.MaterializationOutcome>();
        for (var p = 0; p < 3; p++) partitions.Add(await sliced.RunAsync(View, window, p, 3));

        Assert.InRange(expected.RowsInWindow, 500, 700);
        Assert.InRange(expected.InvalidRows, 1, expected.RowsInWindow - 1); // spend_7d above 200 is broken on some rows, not all
        foreach (var actual in new[] { oneRun, Sum(partitions) })
        {
            Assert.Equal((expected.RowsInWindow, expected.InvalidRows, expected.RowsWritten),
                (actual.RowsInWindow, actual.InvalidRows, actual.RowsWritten));
            Assert.Equal(expected.RuleFailures, actual.RuleFailures);
        }
        Assert.Equal(expected.Statistics["spend_7d"] with { Quantiles = null, Mean = null, StdDev = null },
            oneRun.Statistics["spend_7d"] with { Quantiles = null, Mean = null, StdDev = null });
        Assert.Equal(expected.Statistics["spend_7d"].Mean!.Value, oneRun.Statistics["spend_7d"].Mean!.Value, 9);

        string[] columns = ["events_1d", "spend_7d", "kind", "created_timestamp"];
        var offline = Rows(whole.OfflineRows(expected.OfflineFiles, columns));
        Assert.Equal(offline, Rows(sliced.OfflineRows(oneRun.OfflineFiles, columns)));
        Assert.Equal(offline, Rows(sliced.OfflineRows(partitions.SelectMany(p => p.OfflineFiles), columns)));

        var customers = Enumerable.Range(0, 60).Select(c => (long)c).ToArray();
        var online = (await whole.OnlineAsync("activity", customers))
            .ToDictionary(e => e.Key, e => (e.Value!.Time, e.Value.Values.GetRawText()));
        Assert.Equal(60, online.Count);
        // The sliced pipeline ran twice (one partition, then three): the second writes nothing newer, and every value matches.
        Assert.Equal(online,
            (await sliced.OnlineAsync("activity", customers)).ToDictionary(e => e.Key, e => (e.Value!.Time, e.Value.Values.GetRawText())));
    }

    private static List<string> Rows(List<Dictionary<string, object?>> rows) =>
        rows.Select(r => string.Join("|", r.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => $"{c.Key}={c.Value}")))
            .Order(StringComparer.Ordinal).ToList();

    private static FeatureStore.PipelineWorker.Materialization.MaterializationOutcome Sum(
        List<FeatureStore.PipelineWorker.Materialization.MaterializationOutcome> parts) =>
        parts[0] with
        {
            RowsInWindow = parts.Sum(p => p.RowsInWindow),
            InvalidRows = parts.Sum(p => p.InvalidRows),
            RowsWritten = parts.Sum(p => p.RowsWritten),
            RuleFailures = parts[0].RuleFailures.Keys.ToDictionary(k => k, k => parts.Sum(p => p.RuleFailures[k])),
        };
}
