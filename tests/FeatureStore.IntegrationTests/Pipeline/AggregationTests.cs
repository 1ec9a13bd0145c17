using FeatureStore.Domain;

namespace FeatureStore.IntegrationTests.Pipeline;

/// <summary>
/// Windowed aggregations on hand-made data with known answers. A window w at event time t covers
/// (t − w, t]: the row at t and rows sharing its time are in, a row exactly w before t is out.
/// </summary>
public sealed class AggregationTests
{
    private static readonly DateTime T = new(2024, 6, 1, 0, 0, 0, DateTimeKind.Utc);
    private readonly LocalPipeline _pipeline = new();

    private static FeatureViewDefinition View(string sql = "",
        params (string Name, AggregationFunction Function, string Column, TimeSpan Window, FeatureValueType Type)[] aggregations) => new(
        "default", "activity", [new ViewEntity("customer", [new JoinKey("customer_id", FeatureValueType.Int64)])],
        new ViewSource("events", SourceKind.Batch, "sources/default/activity.parquet", "event_timestamp", "created"),
        aggregations.Select(a => new FeatureField(a.Name, a.Type)).ToList(), TimeSpan.Zero, ObjectMetadata.Empty,
        TransformationSql: sql.Length == 0 ? null : sql,
        Aggregations: aggregations.Select(a => new Aggregation(a.Name, a.Function, a.Column, a.Window)).ToList(), Version: 1);

    private static readonly ActivityRow[] Events =
    [
        new() { customer_id = 1, event_timestamp = T, amount = 1, kind = "view" },
        new() { customer_id = 1, event_timestamp = T.AddDays(1), amount = 2, kind = "cart" },
        new() { customer_id = 1, event_timestamp = T.AddDays(7), amount = 4, kind = "buy" },
        new() { customer_id = 1, event_timestamp = T.AddDays(7), amount = 8, kind = "buy" },
        new() { customer_id = 1, event_timestamp = T.AddDays(14), amount = 16, kind = "view" },
        new() { customer_id = 2, event_timestamp = T.AddDays(3), amount = 100, kind = "buy" },
    ];

    private static readonly TimeSpan Week = TimeSpan.FromDays(7);

    [Fact]
    public async Task A_window_includes_its_end_and_ties_and_excludes_its_start()
    {
        await _pipeline.PutAsync("sources/default/activity.parquet", Events);
        var view = View("", ("events_7d", AggregationFunction.Count, "amount", Week, FeatureValueType.Int64),
            ("spend_7d", AggregationFunction.Sum, "amount", Week, FeatureValueType.Float64));

        var outcome = await _pipeline.RunAsync(view, new TimeWindow(T, T.AddDays(30)));

        var rows = _pipeline.OfflineRows(outcome.OfflineFiles, "events_7d", "spend_7d")
            .Where(r => (long)r["customer_id"]! == 1).Select(r => ((long)r["events_7d"]!, (double)r["spend_7d"]!)).ToList();
        // At T: 1 row; at T+1d: 2; at T+7d the window is (T, T+7d], so the row at T is out and both rows at T+7d
        // are in (2 + 4 + 8 = 14); at T+14d the rows at exactly T+7d have left, only 16 remains.
        Assert.Equal([(1L, 1.0), (2L, 3.0), (3L, 14.0), (3L, 14.0), (1L, 16.0)], rows);
    }

    [Fact]
    public async Task Every_function_over_its_own_window()
    {
        await _pipeline.PutAsync("sources/default/activity.parquet", Events);
        var view = View("",
            ("avg_2d", AggregationFunction.Avg, "amount", TimeSpan.FromDays(2), FeatureValueType.Float64),
            ("min_30d", AggregationFunction.Min, "amount", TimeSpan.FromDays(30), FeatureValueType.Float64),
            ("max_1d", AggregationFunction.Max, "amount", TimeSpan.FromDays(1), FeatureValueType.Float64),
            ("kinds_30d", AggregationFunction.CountDistinct, "kind", TimeSpan.FromDays(30), FeatureValueType.Int64));

        var outcome = await _pipeline.RunAsync(view, new TimeWindow(T, T.AddDays(30)));

        var rows = _pipeline.OfflineRows(outcome.OfflineFiles, "avg_2d", "min_30d", "max_1d", "kinds_30d")
            .Where(r => (long)r["customer_id"]! == 1)
            .Select(r => ((double)r["avg_2d"]!, (double)r["min_30d"]!, (double)r["max_1d"]!, (long)r["kinds_30d"]!))
            .DistinctBy(r => r).ToList();
        Assert.Equal([(1.0, 1.0, 1.0, 1L), (1.5, 1.0, 2.0, 2L), (6.0, 1.0, 8.0, 3L), (16.0, 1.0, 16.0, 3L)], rows);
    }

    [Fact]
    public async Task Rows_before_the_window_count_in_aggregates_but_are_not_written()
    {
        await _pipeline.PutAsync("sources/default/activity.parquet", Events);
        var view = View("", ("events_7d", AggregationFunction.Count, "amount", Week, FeatureValueType.Int64));

        // A window starting at T+7d still sees the row at T+1d inside the 7-day lookback.
        var outcome = await _pipeline.RunAsync(view, new TimeWindow(T.AddDays(7), T.AddDays(30)));

        var rows = _pipeline.OfflineRows(outcome.OfflineFiles, "events_7d").Where(r => (long)r["customer_id"]! == 1).ToList();
        Assert.Equal(3, rows.Count);
        Assert.Equal([3L, 3L, 1L], rows.Select(r => (long)r["events_7d"]!));
        Assert.Equal(3, outcome.RowsInWindow);
    }

    [Fact]
    public async Task The_online_store_gets_the_values_at_each_entitys_newest_event()
    {
        await _pipeline.PutAsync("sources/default/activity.parquet", Events);
        var view = View("", ("spend_7d", AggregationFunction.Sum, "amount", Week, FeatureValueType.Float64));

        await _pipeline.RunAsync(view, new TimeWindow(T, T.AddDays(10)));

        var online = await _pipeline.OnlineAsync("activity", 1, 2);
        Assert.Equal(T.AddDays(7), online[1]!.Time.EventTime.UtcDateTime);
        Assert.True(online[1]!.TryGetValue("spend_7d", out var spend) && spend.GetDouble() == 14);
        Assert.True(online[2]!.TryGetValue("spend_7d", out var other) && other.GetDouble() == 100);
    }

    [Fact]
    public async Task A_late_row_changes_history_on_a_rerun_but_never_rolls_online_values_back()
    {
        await _pipeline.PutAsync("sources/default/activity.parquet", Events);
        var view = View("", ("events_7d", AggregationFunction.Count, "amount", Week, FeatureValueType.Int64));
        await _pipeline.RunAsync(view, new TimeWindow(T, T.AddDays(30)));

        // Two rows arrive late: one between known events, one older than everything online.
        await _pipeline.PutAsync("sources/default/activity.parquet", Events.Append(new ActivityRow
        {
            customer_id = 1, event_timestamp = T.AddDays(13), created = DateTime.UtcNow, amount = 32, kind = "late",
        }).Append(new ActivityRow
        { customer_id = 2, event_timestamp = T.AddDays(1), created = DateTime.UtcNow, amount = 1, kind = "late" }));
        var rerun = await _pipeline.RunAsync(view, new TimeWindow(T, T.AddDays(30)));

        var history = _pipeline.OfflineRows(rerun.OfflineFiles, "events_7d").Where(r => (long)r["customer_id"]! == 1)
            .Select(r => (long)r["events_7d"]!).ToList();
        Assert.Equal([1L, 2L, 3L, 3L, 3L, 2L], history); // T+13d: T+7d twice and itself; T+14d: T+13d and itself
        var online = await _pipeline.OnlineAsync("activity", 1, 2);
        Assert.Equal(T.AddDays(14), online[1]!.Time.EventTime.UtcDateTime);
        Assert.True(online[1]!.TryGetValue("events_7d", out var count) && count.GetInt64() == 2);
        Assert.Equal(T.AddDays(3), online[2]!.Time.EventTime.UtcDateTime); // the late row at T+1d is older than what is online
    }

    [Fact]
    public async Task A_transformation_feeds_the_aggregations()
    {
        await _pipeline.PutAsync("sources/default/activity.parquet", Events);
        var view = View("SELECT customer_id, event_timestamp, created, CASE WHEN kind = 'buy' THEN amount END AS purchase FROM source",
            ("purchases_30d", AggregationFunction.Count, "purchase", TimeSpan.FromDays(30), FeatureValueType.Int64));
        await _pipeline.RunAsync(view, new TimeWindow(T, T.AddDays(30)));
        var online = await _pipeline.OnlineAsync("activity", 1, 2);
        Assert.True(online[1]!.TryGetValue("purchases_30d", out var one) && one.GetInt64() == 2);
        Assert.True(online[2]!.TryGetValue("purchases_30d", out var two) && two.GetInt64() == 1);
    }

    [Fact]
    public void The_window_rule_in_code_matches_its_sql()
    {
        Assert.True(AggregationWindows.Covers(Week, T.AddDays(7), T.AddDays(7)));
        Assert.True(AggregationWindows.Covers(Week, T.AddDays(7), T.AddTicks(10)));
        Assert.False(AggregationWindows.Covers(Week, T.AddDays(7), T));
        Assert.False(AggregationWindows.Covers(Week, T.AddDays(7), T.AddDays(7).AddTicks(10)));
        Assert.Equal("RANGE BETWEEN to_microseconds(604799999999) PRECEDING AND CURRENT ROW", AggregationWindows.SqlFrame(Week));
    }
}
