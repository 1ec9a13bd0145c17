using FeatureStore.Domain;

namespace FeatureStore.IntegrationTests.Pipeline;

/// <summary>How a run cuts its offline rows into files: consecutive event dates share one until it holds the target.</summary>
public sealed class OfflineFileTests
{
    private static readonly DateTime T = new(2024, 6, 1, 0, 0, 0, DateTimeKind.Utc);
    private readonly LocalPipeline _pipeline = new(offlineRowsPerFile: 5);

    private static FeatureViewDefinition View() => new(
        "default", "activity", [new ViewEntity("customer", [new JoinKey("customer_id", FeatureValueType.Int64)])],
        new ViewSource("events", SourceKind.Batch, "sources/default/activity.parquet", "event_timestamp", "created"),
        [new FeatureField("amount", FeatureValueType.Float64)], TimeSpan.Zero, ObjectMetadata.Empty, Version: 1);

    [Fact]
    public async Task Sparse_days_share_a_file_until_it_holds_the_target_and_a_day_is_never_split()
    {
        // Rows per day over 20 days: many days hold one or two rows, day 9 holds eight, days 12 to 15 none.
        int[] perDay = [1, 2, 1, 1, 2, 1, 1, 1, 2, 8, 1, 1, 0, 0, 0, 0, 3, 1, 2, 1];
        var rows = perDay.SelectMany((n, day) => Enumerable.Range(0, n).Select(i => new ActivityRow
        {
            customer_id = i, event_timestamp = T.AddDays(day).AddHours(i + 1), amount = day * 100 + i,
        })).ToList();
        await _pipeline.PutAsync("sources/default/activity.parquet", rows);

        var outcome = await _pipeline.RunAsync(View(), new TimeWindow(T, T.AddDays(30)));

        var files = outcome.OfflineFiles.OrderBy(f => f.MinEventTime).ToList();
        Assert.Equal(rows.Count, files.Sum(f => f.RowCount));
        Assert.Equal(rows.Count, _pipeline.OfflineRows(files, "amount").Count);
        // Days 0-3 (5 rows), 4-7 (5), 8-9 (10: day 9 is not split), 10-16 (5), 17-19 (4, the last).
        Assert.Equal([5L, 5L, 10L, 5L, 4L], files.Select(f => f.RowCount));
        Assert.All(files, f => Assert.Equal(f.MinEventTime.UtcDateTime.ToString("yyyy-MM-dd"), f.Date));
        Assert.All(files, f => Assert.Contains($"/date={f.Date}/", f.Path));
        Assert.All(files.Zip(files.Skip(1)), p => Assert.True(p.First.MaxEventTime < p.Second.MinEventTime));
    }
}
