using System.Net.Http.Json;
using System.Text.Json;
using FeatureStore.Contracts;
using FeatureStore.Domain;
using FeatureStore.IntegrationTests.Registry;
using static FeatureStore.IntegrationTests.Pipeline.HistoryDriver;

namespace FeatureStore.IntegrationTests.Pipeline;

/// <summary>Compaction on the four services: fewer files, the same rows and answers, time travel to before it kept.</summary>
public sealed partial class OfflineHistoryTests
{
    [Fact]
    public async Task Small_files_are_compacted_after_runs_and_by_hand_into_fewer_files_showing_the_same_rows_before_and_after()
    {
        await cluster.StartAsync();
        var history = new HistoryDriver(cluster, "compaction");
        // Amounts no other test writes (feature-api caches files by content hash).
        Func<int, int, double> first = (c, d) => c * 100 + d + 0.625;
        Func<int, int, double> corrected = (c, d) => first(c, d) + (d is >= 9 and <= 11 ? 0.5 : 0);
        await history.PutAsync("amounts", Days(0, 31, first));
        Assert.Equal(200, (await history.ApplyAsync(Repository(history.SourceKey("amounts"), ttl: "3d"))).Status);
        // Rows lie at day + customer minutes: a window [d, d + 2] holds days d and d + 1.
        for (var day = 0; day < 30; day += 2) await history.MaterializeAsync("activity", T.AddDays(day), T.AddDays(day + 2));
        Assert.Empty(await CompactionsAsync(history)); // 15 small files: not yet
        await history.PutAsync("amounts", Days(0, 31, corrected));
        await history.MaterializeAsync("activity", T.AddDays(9), T.AddDays(12)); // the 16th, masking parts of three others

        // The 16th small file asks for a compaction after its run.
        var automatic = await WaitForCompactionAsync(history, null);
        Assert.True(automatic is { Status: "succeeded", Trigger: "automatic", Base: 16, CommitSequence: 17, FilesIn: 16, FilesOut: 1 },
            JsonSerializer.Serialize(automatic));
        var expected = Rows(Days(0, 29, corrected));
        Assert.Equal(expected, await history.OfflineRowsAsync("activity"));
        var compacted = Assert.Single(await history.OfflineFilesAsync("activity"));
        Assert.Equal(30L * Customers, compacted.RowCount);
        Assert.False(compacted.EventTies); // its inputs' rows were checked tie-free, each run alone
        // Time travel to before it reads the files it superseded (the sixteen but days 10-11's, masked whole by the correction),
        // and the same rows.
        var before = await history.OfflineFilesAsync("activity", "&asOf=16");
        Assert.Equal(15, before.Count);
        Assert.All(before, f => Assert.Equal(17L, f.SupersededBy));
        Assert.Equal(expected, await history.OfflineRowsAsync("activity", "&asOf=16"));
        Assert.Equal(Rows(Days(0, 1, first)), await history.OfflineRowsAsync("activity", "&asOf=1"));
        foreach (var day in new[] { 4, 10, 13, 29 }) // each row reaches back its 3-day TTL: none before day 3
            Assert.Equal(Everyone(T.AddDays(day)).Select(r => (double?)corrected((int)r.Item1, day)).ToArray(),
                Values(await history.HistoricalAsync(Everyone(T.AddDays(day).AddHours(12)), ["activity:amount"]), "amount"));

        // One small file: nothing to compact by hand.
        var nothing = await StartCompactionAsync(history);
        Assert.True(nothing.Status == 422, nothing.Text);
        Assert.Contains("name", nothing.ErrorFields);

        // A run after the compaction replaces its window inside the compacted file too; then a compaction by hand.
        Func<int, int, double> latest = (c, d) => corrected(c, d) + (d is >= 28 ? 0.25 : 0);
        await history.PutAsync("amounts", Days(0, 31, latest));
        await history.MaterializeAsync("activity", T.AddDays(28), T.AddDays(32));
        Assert.Equal(Rows(Days(0, 31, latest)), await history.OfflineRowsAsync("activity"));
        var started = await StartCompactionAsync(history);
        Assert.True(started.Status == 202, started.Text);
        var manual = await WaitForCompactionAsync(history, started.Body.GetProperty("id").GetGuid());
        Assert.True(manual is { Status: "succeeded", Trigger: "manual", Base: 18, CommitSequence: 19, FilesIn: 2, FilesOut: 1 },
            JsonSerializer.Serialize(manual));
        Assert.Equal(Rows(Days(0, 31, latest)), await history.OfflineRowsAsync("activity"));
        Assert.Equal(32L * Customers, Assert.Single(await history.OfflineFilesAsync("activity")).RowCount);
        Assert.Equal(Rows(Days(0, 29, corrected)), await history.OfflineRowsAsync("activity", "&asOf=17"));
        var coverage = await history.CoverageAsync("activity");
        Assert.Equal([new TimeWindow(T, T.AddDays(32))], coverage.Covered); // compactions cover nothing new
        Assert.Equal(OfflineCommitKind.Compaction, coverage.Commits[^1].Kind);
        Assert.Equal(Everyone(T).Select(r => (double?)latest((int)r.Item1, 31)).ToArray(),
            Values(await history.HistoricalAsync(Everyone(T.AddDays(31).AddHours(12)), ["activity:amount"]), "amount"));
        Assert.Equal([manual.Id, automatic.Id], (await CompactionsAsync(history)).Select(c => c.Id));
    }

    private static List<(long, DateTime, double?)> Rows(IEnumerable<AmountRow> rows) =>
        rows.Select(r => (r.customer_id, r.event_timestamp, (double?)r.amount)).Order().ToList();

    private static async Task<Answer> StartCompactionAsync(HistoryDriver history) =>
        await Answer.ReadAsync(await history.Registry.PostAsync($"api/v1/feature-views/activity/compactions?project={history.Project}",
            null, TestContext.Current.CancellationToken));

    private static async Task<List<OfflineCompactionDto>> CompactionsAsync(HistoryDriver history) =>
        (await history.Registry.GetFromJsonAsync<List<OfflineCompactionDto>>(
            $"api/v1/feature-views/activity/compactions?project={history.Project}", JsonSerializerOptions.Web,
            TestContext.Current.CancellationToken))!;

    /// <summary>Waits until compaction <paramref name="id"/> (or the view's only one, once it is asked for) has ended.</summary>
    private async Task<OfflineCompactionDto> WaitForCompactionAsync(HistoryDriver history, Guid? id)
    {
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (true)
        {
            var compaction = id is null
                ? (await CompactionsAsync(history)).SingleOrDefault()
                : (await history.Registry.GetFromJsonAsync<OfflineCompactionDto>(
                    $"api/v1/feature-views/activity/compactions/{id}?project={history.Project}", JsonSerializerOptions.Web,
                    TestContext.Current.CancellationToken))!;
            if (compaction is { Status: not "running" }) return compaction;
            Assert.True(DateTime.UtcNow < deadline, $"compaction {id} still running\n{cluster.Diagnostics()}");
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }
    }
}
