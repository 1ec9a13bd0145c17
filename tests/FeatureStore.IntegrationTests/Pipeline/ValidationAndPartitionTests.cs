using System.Text.Json;
using FeatureStore.Domain;
using FeatureStore.PipelineWorker.Materialization;

namespace FeatureStore.IntegrationTests.Pipeline;

/// <summary>Validation rules on every output row, the failure threshold, partitions by entity, and run statistics.</summary>
public sealed class ValidationAndPartitionTests
{
    private static readonly DateTime T = new(2024, 6, 1, 0, 0, 0, DateTimeKind.Utc);
    private readonly LocalPipeline _pipeline = new();

    private static FeatureViewDefinition View(double maxInvalidRate) => new(
        "default", "activity", [new ViewEntity("customer", [new JoinKey("customer_id", FeatureValueType.Int64)])],
        new ViewSource("events", SourceKind.Batch, "sources/default/activity.parquet", "event_timestamp", "created"),
        [
            new FeatureField("amount", FeatureValueType.Float64, Rules: new FieldRules(Min: 0, Max: 50, Default: JsonElement.Parse("0"))),
            new FeatureField("kind", FeatureValueType.String, Rules: new FieldRules(
                AllowedValues: [JsonElement.Parse("\"view\""), JsonElement.Parse("\"cart\""), JsonElement.Parse("\"buy\"")],
                NotNull: true)),
        ],
        TimeSpan.Zero, ObjectMetadata.Empty, MaxInvalidRate: maxInvalidRate, Version: 1);

    private static readonly ActivityRow[] Rows =
    [
        new() { customer_id = 1, event_timestamp = T, amount = 10, kind = "view" },
        new() { customer_id = 1, event_timestamp = T.AddHours(1), amount = -5, kind = "buy" },  // below min
        new() { customer_id = 2, event_timestamp = T, amount = 100, kind = "buy" },              // above max
        new() { customer_id = 3, event_timestamp = T, amount = null, kind = "late" },            // null amount gets the default;
                                                                                                 // kind not allowed
        new() { customer_id = 4, event_timestamp = T, amount = 20, kind = null },                // null kind breaks not-null
        new() { customer_id = 5, event_timestamp = T, amount = 30, kind = "cart" },
    ];

    [Fact]
    public async Task Broken_values_become_null_then_the_default_and_every_failure_is_counted()
    {
        await _pipeline.PutAsync("sources/default/activity.parquet", Rows);

        var outcome = await _pipeline.RunAsync(View(maxInvalidRate: 1), new TimeWindow(T, T.AddDays(1)));

        Assert.Equal(4, outcome.InvalidRows);
        Assert.Equal(new Dictionary<string, long> { ["amount.min"] = 1, ["amount.max"] = 1, ["kind.allowed"] = 1, ["kind.not_null"] = 1 },
            outcome.RuleFailures);
        var offline = _pipeline.OfflineRows(outcome.OfflineFiles, "amount", "kind")
            .Select(r => ((long)r["customer_id"]!, (double?)r["amount"], (string?)r["kind"])).ToList();
        Assert.Equal(
            [(1L, 10.0, "view"), (1L, 0.0, "buy"), (2L, 0.0, "buy"), (3L, 0.0, null), (4L, 20.0, null), (5L, 30.0, "cart")], offline);
    }

    [Fact]
    public async Task A_run_with_too_many_broken_rows_fails_and_writes_nothing_anywhere()
    {
        await _pipeline.PutAsync("sources/default/activity.parquet", Rows);

        var error = await Assert.ThrowsAsync<MaterializationException>(
            () => _pipeline.RunAsync(View(maxInvalidRate: 0.5), new TimeWindow(T, T.AddDays(1))));

        Assert.Contains("4 of 6 rows", error.Message);
        Assert.Contains("amount.min 1", error.Message);
        Assert.All((await _pipeline.OnlineAsync("activity", 1, 2, 3, 4, 5)).Values, Assert.Null);
        Assert.Null(_pipeline.Objects.LocalPath("offline"));
        Assert.False(Directory.Exists(
            Path.Combine(Path.GetDirectoryName(_pipeline.Objects.LocalPath("sources/default/activity.parquet")!)!, "..", "..", "offline")));
    }

    [Fact]
    public async Task A_rate_at_the_threshold_passes()
    {
        await _pipeline.PutAsync("sources/default/activity.parquet", Rows);
        var outcome = await _pipeline.RunAsync(View(maxInvalidRate: 4.0 / 6), new TimeWindow(T, T.AddDays(1)));
        Assert.Equal(5, outcome.RowsWritten);
    }

    [Fact]
    public async Task Partitions_split_entities_and_together_equal_one_run()
    {
        var rows = Enumerable.Range(0, 200).SelectMany(c => new[]
        {
            new ActivityRow { customer_id = c, event_timestamp = T, amount = c % 50, kind = "view" },
            new ActivityRow { customer_id = c, event_timestamp = T.AddHours(1), amount = (c + 1) % 50, kind = "buy" },
        }).ToArray();
        await _pipeline.PutAsync("sources/default/activity.parquet", rows);
        var window = new TimeWindow(T, T.AddDays(1));

        var parts = new List<MaterializationOutcome>();
        for (var p = 0; p < 3; p++) parts.Add(await _pipeline.RunAsync(View(1), window, p, 3));

        Assert.Equal(200, parts.Sum(p => p.RowsWritten));
        Assert.Equal(400, parts.Sum(p => p.RowsInWindow));
        Assert.All(parts, p => Assert.InRange(p.RowsWritten, 20, 180)); // each partition holds a share, not all or nothing
        var offline = parts.SelectMany(p => _pipeline.OfflineRows(p.OfflineFiles, "amount")).ToList();
        Assert.Equal(400, offline.Count);
        Assert.Equal(200, offline.Select(r => (long)r["customer_id"]!).Distinct().Count());
        var byPartition =
            parts.Select(p => _pipeline.OfflineRows(p.OfflineFiles, "amount").Select(r => (long)r["customer_id"]!).ToHashSet()).ToList();
        Assert.Empty(byPartition[0].Intersect(byPartition[1]).Concat(byPartition[1].Intersect(byPartition[2]))
            .Concat(byPartition[0].Intersect(byPartition[2])));
        var online = await _pipeline.OnlineAsync("activity", Enumerable.Range(0, 200).Select(c => (long)c).ToArray());
        Assert.All(online, o => Assert.Equal(T.AddHours(1), o.Value!.Time.EventTime.UtcDateTime));
    }

    [Fact]
    public async Task Statistics_describe_each_feature()
    {
        await _pipeline.PutAsync("sources/default/activity.parquet", Rows);
        var outcome = await _pipeline.RunAsync(View(maxInvalidRate: 1), new TimeWindow(T, T.AddDays(1)));

        var amount = outcome.Statistics["amount"];
        Assert.Equal((6L, 0L), (amount.Count, amount.Nulls));
        Assert.Equal(10, amount.Mean!.Value, 6); // 10, 0, 0, 0, 20, 30
        Assert.Equal((0.0, 30.0), (amount.Min!.Value, amount.Max!.Value));
        Assert.Equal(Math.Sqrt(800.0 / 5), amount.StdDev!.Value, 6); // the sample standard deviation
        // Fewer values than the quantile sample holds: exact, the value at rank floor(q·(n−1)) of 0, 0, 0, 10, 20, 30.
        Assert.Equal(["p05", "p25", "p50", "p75", "p95"], amount.Quantiles!.Keys);
        Assert.Equal([0.0, 0.0, 0.0, 10.0, 20.0], amount.Quantiles.Values);
        var kind = outcome.Statistics["kind"];
        Assert.Equal((4L, 2L), (kind.Count, kind.Nulls));
        Assert.Equal(3, kind.Distinct);
    }
}
