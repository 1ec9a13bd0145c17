using System.Text.Json;
using FeatureStore.Domain;
using FeatureStore.IntegrationTests.Registry;
using FeatureStore.IntegrationTests.Services;
using static FeatureStore.IntegrationTests.Pipeline.HistoryDriver;

namespace FeatureStore.IntegrationTests.Pipeline;

/// <summary>
/// Offline history that stays true, on the four real services: history belongs to what a view computes (a description
/// keeps it, a new computation restarts it until backfilled, a revert finds it again), pushed rows survive a view change
/// through the push log, runs replace their windows, and what a history does not cover is said, never answered as nulls.
/// </summary>
public sealed partial class OfflineHistoryTests(ServiceCluster cluster) : IClassFixture<ServiceCluster>
{
    private const int Customers = 30;

    private static string Repository(string path, string description = "amounts", string schema = "", string transformation = "",
        string ttl = "5d") => $$"""
        entities: [{name: customer, joinKeys: [{name: customer_id, type: int64}]}]
        sources: [{name: amounts, path: {{path}}, timestampField: event_timestamp, createdTimestampField: created}]
        featureViews:
          - name: activity
            description: {{description}}
            entities: [customer]
            source: amounts
            ttl: {{ttl}}
            {{transformation}}
            schema: [{name: amount, type: float64}{{schema}}]
        """;

    /// <summary>A row per customer per day (at day + customer minutes, so windows of whole days hold whole days), created a minute
    /// later.</summary>
    private static List<AmountRow> Days(int from, int to, Func<int, int, double>? amount = null) =>
        Enumerable.Range(from, to - from + 1).SelectMany(d => Enumerable.Range(1, Customers).Select(c =>
        {
            var at = T.AddDays(d).AddMinutes(c);
            return new AmountRow
            { customer_id = c, event_timestamp = at, created = at.AddMinutes(1), amount = amount?.Invoke(c, d) ?? c * 100 + d };
        })).ToList();

    private static List<(long, DateTime)> Everyone(DateTime at) => Enumerable.Range(1, Customers).Select(c => ((long)c, at)).ToList();

    [Fact]
    public async Task A_description_keeps_the_history_a_new_computation_restarts_it_until_backfilled_and_a_revert_finds_it_again()
    {
        await cluster.StartAsync();
        var history = new HistoryDriver(cluster, "identity");
        await history.PutAsync("amounts", Days(0, 9));
        var path = history.SourceKey("amounts");
        Assert.Equal(200, (await history.ApplyAsync(Repository(path))).Status);
        await history.MaterializeAsync("activity", T, T.AddDays(10));
        var asked = Everyone(T.AddDays(5).AddHours(12));
        var expected = Enumerable.Range(1, Customers).Select(c => (double?)(c * 100 + 5)).ToArray();
        Assert.Equal(expected, Values(await history.HistoricalAsync(asked, ["activity:amount"]), "amount"));

        // A new description: the plan says the history is kept, and the same request answers the same.
        var described = Repository(path, description: "amounts, described better");
        var kept = (await history.ApplyAsync(described, "?dryRun=true")).Change("featureView", "activity");
        Assert.Equal((1, false), (kept.GetProperty("history").GetProperty("history").GetInt32(),
            kept.GetProperty("history").GetProperty("restarts").GetBoolean()));
        Assert.Contains(kept.GetProperty("reasons").EnumerateArray(), r => r.GetString()!.Contains("keeps the offline history v1"));
        Assert.Equal(200, (await history.ApplyAsync(described)).Status);
        Assert.Equal(expected, Values(await history.HistoricalAsync(asked, ["activity:amount"]), "amount"));
        var coverage = await history.CoverageAsync("activity");
        Assert.Equal((2, 1), (coverage.Version, coverage.History));
        Assert.Equal([1, 2], coverage.VersionsReadingIt);
        Assert.Equal([new TimeWindow(T, T.AddDays(10))], coverage.Covered);

        // A new transformation and feature: a new history, which the plan says needs the old one's window backfilled.
        var doubled = Repository(path, description: "amounts, doubled", schema: ", {name: doubled, type: float64}",
            transformation: "transformation: {sql: \"SELECT *, amount * 2 AS doubled FROM source\"}");
        var restarts = (await history.ApplyAsync(doubled, "?dryRun=true")).Change("featureView", "activity");
        Assert.True(restarts.GetProperty("history").GetProperty("restarts").GetBoolean());
        Assert.Equal([new TimeWindow(T, T.AddDays(10))],
            restarts.GetProperty("history").GetProperty("backfill").Deserialize<TimeWindow[]>(JsonSerializerOptions.Web)!);
        Assert.Contains(restarts.GetProperty("reasons").EnumerateArray(),
            r => r.GetString()!.Contains("history restarts (schema, transformation changed)"));
        Assert.Equal(200, (await history.ApplyAsync(doubled)).Status);

        var refused = await history.HistoricalAsync(asked, ["activity:amount"]);
        Assert.True(refused.Status == 409, refused.Text);
        Assert.Contains("feature view 'activity' v3 reads offline history v3, which covers nothing yet", refused.Text);
        var allowed = await history.HistoricalAsync(asked, ["activity:amount"], allowGaps: true);
        Assert.All(Values(allowed, "amount"), v => Assert.Null(v));
        var gap = allowed.Body.GetProperty("gaps")[0];
        Assert.Equal(("activity", 3, 3),
            (gap.GetProperty("view").GetString(), gap.GetProperty("version").GetInt32(), gap.GetProperty("history").GetInt32()));
        // Nothing is covered: the rows (all at one instant) need the TTL before it.
        Assert.Equal([new TimeWindow(T.AddDays(5).AddHours(12).AddDays(-5), T.AddDays(5).AddHours(12))],
            gap.GetProperty("gaps").Deserialize<TimeWindow[]>(JsonSerializerOptions.Web)!);
        Assert.True(allowed.Headers.Contains("FeatureStore-Gaps"));
        // The version that read the old history still answers from it.
        Assert.Equal(expected, Values(await history.HistoricalAsync(asked, ["activity@v2:amount"]), "amount"));

        await history.MaterializeAsync("activity", T, T.AddDays(10));
        var backfilled = await history.HistoricalAsync(asked, ["activity:amount", "activity:doubled"]);
        Assert.Equal(expected, Values(backfilled, "amount"));
        Assert.Equal(expected.Select(v => v * 2), Values(backfilled, "doubled"));

        // Back to what v2 computed: v4 reads history v1 again, with no run.
        var reverted = await history.ApplyAsync(described);
        Assert.True(reverted.Status == 200, reverted.Text);
        Assert.Contains(reverted.Change("featureView", "activity").GetProperty("reasons").EnumerateArray(),
            r => r.GetString()!.Contains("reads the offline history v1 again"));
        Assert.Equal(expected, Values(await history.HistoricalAsync(asked, ["activity:amount"]), "amount"));
        Assert.Equal([1, 2, 4], (await history.CoverageAsync("activity")).VersionsReadingIt);
    }

    [Fact]
    public async Task A_run_writes_its_days_as_one_file_and_a_retrieval_reads_only_the_files_its_rows_can_reach()
    {
        await cluster.StartAsync();
        var history = new HistoryDriver(cluster, "reach");
        // Amounts no other test writes: feature-api caches files by content hash, and a file byte-equal to another test's would
        // be read from that cache whatever the object store holds.
        Func<int, int, double> amount = (c, d) => c * 100 + d + 0.375;
        await history.PutAsync("amounts", Days(0, 29, amount));
        Assert.Equal(200, (await history.ApplyAsync(Repository(history.SourceKey("amounts"), ttl: "5d"))).Status);
        await history.MaterializeAsync("activity", T, T.AddDays(10));
        await history.MaterializeAsync("activity", T.AddDays(15), T.AddDays(29));
        var files = (await history.OfflineFilesAsync("activity")).OrderBy(f => f.MinEventTime).ToList();
        // Rows lie at day + customer minutes: days 0-9, then 15-28, a file each.
        Assert.Equal([10L * Customers, 14L * Customers], files.Select(f => f.RowCount));

        // The first run's file is lost: rows at day 25 with a 5-day TTL cannot reach it, so it is never fetched.
        await cluster.Objects.DeleteAsync(files[0].Path, TestContext.Current.CancellationToken);
        var late = await history.HistoricalAsync(Everyone(T.AddDays(25)), ["activity:amount"]);
        Assert.True(late.Status == 200, late.Text);
        Assert.Equal(Enumerable.Range(1, Customers).Select(c => (double?)amount(c, 24)), Values(late, "amount"));
        // Rows at day 5 reach it: the store failing is said, not answered as nulls.
        var early = await history.HistoricalAsync(Everyone(T.AddDays(5)), ["activity:amount"]);
        Assert.True(early.Status == 503, early.Text);
        Assert.Contains("objectStore", early.ErrorFields);
    }

    [Fact]
    public async Task Runs_over_the_same_later_and_overlapping_windows_keep_each_source_row_once_and_online_equal_to_offline()
    {
        await cluster.StartAsync();
        var history = new HistoryDriver(cluster, "runs");
        var path = history.SourceKey("amounts");
        await history.PutAsync("amounts", Days(0, 29));
        Assert.Equal(200, (await history.ApplyAsync(Repository(path, ttl: "0"))).Status);
        await history.MaterializeAsync("activity", T, T.AddDays(20));

        // Corrected values for days 10-14 with the very same created times: an exact tie, so only replacing the window is right.
        await history.PutAsync("amounts", Days(0, 29, (c, d) => c * 100 + d + (d is >= 10 and <= 14 ? 0.5 : 0)));
        var again = await history.WaitAsync(
            await history.StartAsync("activity", "materialize", new { start = T, end = T.AddDays(20), partitions = 3 }));
        // Every partition reads the whole source; the job read it once. Days 0-19 are in the window, one row per customer each.
        Assert.Equal((30L * Customers, 20L * Customers, 20L * Customers, (long)Customers),
            (again.GetProperty("rowsRead").GetInt64(), again.GetProperty("rowsInWindow").GetInt64(),
             again.GetProperty("offlineRowsWritten").GetInt64(),
             again.GetProperty("rowsWritten").GetInt64()));

        // New days arrive: an incremental run goes on from where the last ended.
        await history.PutAsync("amounts", Days(0, 39, (c, d) => c * 100 + d + (d is >= 10 and <= 14 ? 0.5 : 0)));
        var incremental = await history.WaitAsync(
            await history.StartAsync("activity", "materialize-incremental", new { end = T.AddDays(30) }));
        Assert.Equal(T.AddDays(20), incremental.GetProperty("windowStart").GetDateTime());

        // More corrections, the latest day included, then a window overlapping the last one.
        Func<int, int, double> final = (c, d) =>
            c * 100 + d + (d is >= 10 and <= 14 ? 0.5 : 0) + (d is >= 25 and <= 27 or >= 32 and <= 34 ? 0.25 : 0);
        await history.PutAsync("amounts", Days(0, 39, final));
        await history.MaterializeAsync("activity", T.AddDays(25), T.AddDays(35));
        // A run cancelled at once shows none of what it wrote (when it was quicker than the cancel, it wrote what the last did).
        var cancelled = await history.StartAsync("activity", "materialize", new { start = T, end = T.AddDays(35), partitions = 4 });
        var cancel = await Answer.ReadAsync(await history.Registry.PostAsync(
            $"api/v1/materializations/{cancelled.Body.GetProperty("jobId").GetString()}/cancel",
            null, TestContext.Current.CancellationToken));
        Assert.True(cancel.Status is 200 or 409, cancel.Text);
        await history.WaitAsync(cancelled);

        var expected = Days(0, 34, final).Select(r => (r.customer_id, r.event_timestamp, (double?)r.amount)).Order().ToList();
        Assert.Equal(expected, await history.OfflineRowsAsync("activity"));
        var everyone = Enumerable.Range(1, Customers).Select(c => (long)c).ToList();
        var offline = Values(await history.HistoricalAsync(Everyone(T.AddDays(35)), ["activity:amount"]), "amount");
        Assert.Equal(everyone.Select(c => (double?)final((int)c, 34)), offline);
        Assert.Equal(offline, await history.OnlineAsync("activity:amount", everyone));
        // Point in time inside corrected windows answers the corrected values.
        Assert.Equal(everyone.Select(c => (double?)final((int)c, 12)),
            Values(await history.HistoricalAsync(Everyone(T.AddDays(13)), ["activity:amount"]), "amount"));

        var coverage = await history.CoverageAsync("activity");
        Assert.Equal([new TimeWindow(T, T.AddDays(35))], coverage.Covered);
        // Time travel: the table as of its first commit is the first run's rows, uncorrected.
        Assert.Equal(Days(0, 19).Select(r => (r.customer_id, r.event_timestamp, (double?)r.amount)).Order().ToList(),
            await history.OfflineRowsAsync("activity", "&asOf=1"));
    }

    [Fact]
    public async Task Pushed_rows_survive_a_view_change_through_the_push_log()
    {
        await cluster.StartAsync();
        var history = new HistoryDriver(cluster, "pushed");
        await history.PutAsync("clicks_batch", Days(0, 1).Where(r => r.customer_id <= 3));
        string Repo(string rules) => $$"""
            entities: [{name: customer, joinKeys: [{name: customer_id, type: int64}]}]
            sources:
              - {name: clicks_batch, path: {{history.SourceKey("clicks_batch")}},
                 timestampField: event_timestamp, createdTimestampField: created}
              - {name: clicks, kind: push, batchSource: clicks_batch}
            featureViews:
              - {name: clicks, entities: [customer], source: clicks, ttl: 0, schema: [{name: amount, type: float64{{rules}}}]}
            """;
        Assert.Equal(200, (await history.ApplyAsync(Repo(""))).Status);
        await history.MaterializeAsync("clicks", T, T.AddDays(3));
        async Task PushAsync(params (long Customer, DateTime At, double Amount)[] rows)
        {
            var answer = await Answer.ReadAsync(await history.FeatureApi.PostAsync("api/v1/push",
                System.Net.Http.Json.JsonContent.Create(new
                {
                    project = history.Project, pushSource = "clicks", to = "online_and_offline",
                    rows = rows.Select(r => new Dictionary<string, object>
                    { ["customer_id"] = r.Customer, ["event_timestamp"] = Iso(r.At), ["amount"] = r.Amount }),
                }), TestContext.Current.CancellationToken));
            Assert.True(answer.Status == 200, answer.Text);
        }
        await PushAsync((1, T.AddDays(3), 501), (2, T.AddDays(3), 502), (3, T.AddDays(3), 503));
        await PushAsync((1, T.AddDays(4), 601), (2, T.AddDays(4), 602), (3, T.AddDays(4), 603));
        IEnumerable<(long, DateTime)> Three(DateTime at) => [(1, at), (2, at), (3, at)];
        Assert.Equal([601.0, 602, 603], Values(await history.HistoricalAsync(Three(T.AddDays(4)), ["clicks:amount"]), "amount"));

        // A validation rule changes what the view computes: a new history, empty until backfilled.
        Assert.Equal(200, (await history.ApplyAsync(Repo(", validation: {min: 0}"))).Status);
        Assert.Equal(409, (await history.HistoricalAsync(Three(T.AddDays(4)), ["clicks:amount"])).Status);
        // The backfill reads the batch source and the push log again, by the same path.
        var backfill = await history.MaterializeAsync("clicks", T, T.AddDays(4));
        Assert.Equal(6 + 6, backfill.GetProperty("rowsRead").GetInt64());
        Assert.Equal([601.0, 602, 603], Values(await history.HistoricalAsync(Three(T.AddDays(4)), ["clicks:amount"]), "amount"));
        Assert.Equal([101.0, 201, 301],
            Values(await history.HistoricalAsync(Three(T.AddDays(1).AddHours(1)), ["clicks:amount"]), "amount"));

        // A push after the backfill, then the window again: each row once, the pushes it read again replaced by its own rows.
        await PushAsync((1, T.AddDays(4).AddHours(1), 701));
        await history.MaterializeAsync("clicks", T, T.AddDays(4).AddHours(1));
        var rows = await history.OfflineRowsAsync("clicks");
        Assert.Equal(6 + 6 + 1, rows.Count);
        Assert.Equal(rows.Count, rows.Distinct().Count());
        Assert.Equal([701.0, 602, 603], await history.OnlineAsync("clicks:amount", [1, 2, 3]));
        Assert.Equal([701.0, 602, 603],
            Values(await history.HistoricalAsync(Three(T.AddDays(4).AddHours(1)), ["clicks:amount"]), "amount"));
    }

    [Fact]
    public async Task Rows_deleted_from_the_source_leave_online_when_their_window_runs_again()
    {
        await cluster.StartAsync();
        var history = new HistoryDriver(cluster, "deleted");
        // Customer 31 exists only from day 6 on.
        var late = Enumerable.Range(6, 4).Select(d => new AmountRow
        { customer_id = 31, event_timestamp = T.AddDays(d).AddMinutes(31), created = T.AddDays(d).AddMinutes(32), amount = 3100 + d })
            .ToList();
        await history.PutAsync("amounts", Days(0, 9).Concat(late));
        Assert.Equal(200, (await history.ApplyAsync(Repository(history.SourceKey("amounts"), ttl: "0"))).Status);
        await history.MaterializeAsync("activity", T, T.AddDays(10));
        var everyone = Enumerable.Range(1, Customers + 1).Select(c => (long)c).ToList();
        Assert.Equal(9 + 31 * 100.0, (await history.OnlineAsync("activity:amount", everyone))[30]);

        // Gone from the source: customer 1's last day, customer 2's last five days, customer 3 altogether, customer 31 altogether.
        var corrected = Days(0, 9).Where(r => !(r.customer_id == 1 && r.event_timestamp >= T.AddDays(9))
                                               && !(r.customer_id == 2 && r.event_timestamp >= T.AddDays(5))
                                               && r.customer_id != 3).ToList();
        await history.PutAsync("amounts", corrected);
        var run = await history.WaitAsync(
            await history.StartAsync("activity", "materialize", new { start = T.AddDays(5), end = T.AddDays(10), partitions = 2 }));
        Assert.Equal("succeeded", run.GetProperty("status").GetString());

        var offline = Values(await history.HistoricalAsync(everyone.Select(c => (c, T.AddDays(10))), ["activity:amount"]), "amount");
        Assert.Equal(new double?[] { 108, 204, 304 }, offline[..3]); // the newest left in the window; before it (twice)
        Assert.Null(offline[30]);                                     // nothing before the window: no value
        Assert.Equal(offline, await history.OnlineAsync("activity:amount", everyone));
    }
}
