using static FeatureStore.IntegrationTests.Pipeline.HistoryDriver;

namespace FeatureStore.IntegrationTests.Pipeline;

/// <summary>Ties on keys and event time, on the four services: what each run's files say, and retrieval breaking them only then.</summary>
public sealed partial class OfflineHistoryTests
{
    [Fact]
    public async Task Runs_say_whether_their_rows_tie_and_a_retrieval_of_many_rows_answers_the_newest_created_either_way()
    {
        await cluster.StartAsync();
        var history = new HistoryDriver(cluster, "ties");
        // Amounts no other test writes (feature-api caches files by content hash).
        Func<int, int, double> first = (c, d) => c * 100 + d + 0.875;
        Func<int, int, double> corrected = (c, d) => first(c, d) + (d is >= 4 and <= 6 ? 0.5 : 0);
        await history.PutAsync("amounts", Days(0, 9, first));
        Assert.Equal(200, (await history.ApplyAsync(Repository(history.SourceKey("amounts"), ttl: "5d"))).Status);
        await history.MaterializeAsync("activity", T, T.AddDays(10));
        Assert.All(await history.OfflineFilesAsync("activity"), f => Assert.False(f.EventTies));

        // 300 entity rows, more than are joined by key: the ASOF join answers, without the created-time step (the first days'
        // rows reach back before the history: allowed).
        var asked = Enumerable.Range(0, 10).SelectMany(d => Everyone(T.AddDays(d).AddHours(12))).ToList();
        double?[] Expected(Func<int, int, double> amount) =>
            asked.Select(r => (double?)amount((int)r.Item1, (r.Item2 - T).Days)).ToArray();
        Assert.Equal(Expected(first), Values(await history.HistoricalAsync(asked, ["activity:amount"], allowGaps: true), "amount"));

        // Days 4-6 sent again beside the first rows: the same event times, created an hour later, corrected. The run of their
        // window keeps both (the history holds what the source holds) and says its rows tie; the newest created answers.
        var resent = Days(4, 6, corrected);
        foreach (var row in resent) row.created = row.created!.Value.AddHours(1);
        await history.PutAsync("amounts", Days(0, 9, first).Concat(resent));
        await history.MaterializeAsync("activity", T.AddDays(4), T.AddDays(7));
        var files = await history.OfflineFilesAsync("activity");
        Assert.Equal([false, true], files.Select(f => f.EventTies).Distinct().Order());
        Assert.Equal(2 * 3 * Customers, files.Where(f => f.EventTies == true).Sum(f => f.RowCount));
        Assert.Equal(Expected(corrected), Values(await history.HistoricalAsync(asked, ["activity:amount"], allowGaps: true), "amount"));
    }
}
