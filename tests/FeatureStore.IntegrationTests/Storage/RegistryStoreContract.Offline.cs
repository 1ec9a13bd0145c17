using FeatureStore.Domain;
using FeatureStore.Registry.Storage;

namespace FeatureStore.IntegrationTests.Storage;

/// <summary>The registry store's materialization jobs, offline histories and push logs.</summary>
public abstract partial class RegistryStoreContract
{
    private static MaterializationJob Job(int partitions = 1, string view = "stats", int version = 1, int day = 1) =>
        new(Guid.NewGuid(), "default", view, version, new TimeWindow(T.AddDays(day - 1), T.AddDays(day)),
            JobStatus.Pending, T.AddDays(day - 1),
            PartitionCount: partitions, History: version);

    private static OfflineFileRecord File(MaterializationJob job, int partition, string name) => new(
        $"offline/default/{job.View}/v{job.Version}/date=2024-02-01/{name}", "default", job.View, job.Version,
        job.Id, partition, "2024-02-01",
        10, T, T.AddHours(1), "hash", 100, job.Window.Start, job.Window.End, null);

    private static PartitionOutcome Outcome(MaterializationJob job, int partition, params OfflineFileRecord[] files) =>
        new(100, 80, 10, 9, 1, TimeSpan.FromSeconds(2 + partition), T.AddMinutes(5), $"p{partition}", files, files.Sum(f => f.RowCount));

    // The job's statistics as the registry's merge would make them, here: the partitions' own, joined.
    private static readonly Func<IReadOnlyList<string>, string?> Merge = parts => string.Join("+", parts);

    [Fact]
    public async Task A_job_succeeds_when_its_last_partition_does_and_its_files_appear_together()
    {
        var ct = TestContext.Current.CancellationToken;
        var job = Job(partitions: 2);
        await Store.CreateJobAsync(job, ct);
        Assert.Equal(job with { CreatedAt = job.CreatedAt }, (await Store.FindJobAsync(job.Id, ct))! with { });
        Assert.True(await Store.MarkPartitionRunningAsync(job.Id, 0, "worker-c", T.AddMinutes(1), ct));
        // worker-c crashed; the redelivered partition starts again on worker-a.
        Assert.True(await Store.MarkPartitionRunningAsync(job.Id, 0, "worker-a", T.AddMinutes(1), ct));
        Assert.Equal(JobStatus.Running, (await Store.FindJobAsync(job.Id, ct))!.Status);
        await Store.RecordProgressAsync(job.Id, 0, 5, 10, T.AddMinutes(2), ct);
        Assert.Equal((5L, 10L),
            ((await Store.FindJobAsync(job.Id, ct))!.RowsDone!.Value, (await Store.FindJobAsync(job.Id, ct))!.RowsTotal!.Value));

        Assert.Equal(PartitionResult.Recorded,
            await Store.CompletePartitionAsync(job.Id, 0, Outcome(job, 0, File(job, 0, "a.parquet")), Merge, ct));
        Assert.Empty(await Store.ListOfflineFilesAsync("default", "stats", 1, includeStaged: false, ct));
        Assert.Single(await Store.ListOfflineFilesAsync("default", "stats", 1, includeStaged: true, ct));
        // A redelivered completion, or a late start, changes nothing.
        Assert.Equal(PartitionResult.Ignored, await Store.CompletePartitionAsync(job.Id, 0, Outcome(job, 0), Merge, ct));
        Assert.False(await Store.MarkPartitionRunningAsync(job.Id, 0, "worker-b", T.AddMinutes(3), ct));

        Assert.Equal(PartitionResult.JobSucceeded,
            await Store.CompletePartitionAsync(job.Id, 1, Outcome(job, 1, File(job, 1, "b.parquet")), Merge, ct));
        var done = (await Store.FindJobAsync(job.Id, ct))!;
        // Each partition read the whole source: the job read it once.
        Assert.Equal((JobStatus.Succeeded, 100L, 160L, 20L, 18L, 2L, 20L), (done.Status, done.RowsRead!.Value, done.RowsInWindow!.Value,
            done.RowsWritten!.Value, done.OnlineKeysWritten!.Value, done.InvalidRows!.Value, done.OfflineRowsWritten!.Value));
        // Whoever sees the job succeeded sees its merged statistics: they were written in the same transaction.
        Assert.Equal("p0+p1", done.StatisticsJson);
        Assert.Equal(TimeSpan.FromSeconds(3), done.Duration);
        Assert.Equal([1L, 1L],
            (await Store.ListOfflineFilesAsync("default", "stats", 1, includeStaged: false, ct)).Select(f => f.CommitSequence!.Value));
        Assert.Equal(["worker-a", null], (await Store.ListPartitionsAsync(job.Id, ct)).Select(p => p.Worker));

        var next = Job(day: 2);
        await Store.CreateJobAsync(next, ct);
        await Store.CompletePartitionAsync(next.Id, 0, Outcome(next, 0, File(next, 0, "c.parquet")), Merge, ct);
        Assert.Equal([1L, 1L, 2L],
            (await Store.ListOfflineFilesAsync("default", "stats", 1, includeStaged: false, ct)).Select(f => f.CommitSequence!.Value));
        var commits = await Store.ListOfflineCommitsAsync("default", "stats", 1, ct);
        Assert.Equal([(1L, OfflineCommitKind.Materialization, job.Id, job.Window, 20L),
            (2L, OfflineCommitKind.Materialization, next.Id, next.Window, 10L)],
            commits.Select(c => (c.Sequence, c.Kind, c.Id, c.Range, c.Rows)));
        Assert.Equal(next.Window.End, await Store.LastSucceededEndAsync("default", "stats", 1, ct));
        Assert.Null(await Store.LastSucceededEndAsync("default", "stats", 2, ct));
    }

    [Fact]
    public async Task A_view_has_one_pending_or_running_job_at_a_time()
    {
        var ct = TestContext.Current.CancellationToken;
        var first = Job();
        await Store.CreateJobAsync(first, ct);
        var refused = await Assert.ThrowsAsync<ActiveJobExistsException>(() => Store.CreateJobAsync(Job(), ct));
        Assert.Equal(first.Id, refused.ActiveJob);
        await Store.CreateJobAsync(Job(view: "other"), ct);
        await Store.CompletePartitionAsync(first.Id, 0, Outcome(first, 0), Merge, ct);
        await Store.CreateJobAsync(Job(), ct);
    }

    [Fact]
    public async Task A_failed_partition_fails_the_job_and_later_news_is_ignored()
    {
        var ct = TestContext.Current.CancellationToken;
        var job = Job(partitions: 2);
        await Store.CreateJobAsync(job, ct);
        Assert.True(await Store.FailPartitionAsync(job.Id, 1, "partition 1: source missing", TimeSpan.FromSeconds(2), T.AddMinutes(1), ct));
        Assert.Equal(PartitionResult.Ignored,
            await Store.CompletePartitionAsync(job.Id, 0, Outcome(job, 0, File(job, 0, "x.parquet")), Merge, ct));
        var failed = (await Store.FindJobAsync(job.Id, ct))!;
        Assert.Equal((JobStatus.Failed, "partition 1: source missing"), (failed.Status, failed.Error));
        Assert.Empty(await Store.ListOfflineFilesAsync("default", "stats", null, includeStaged: true, ct));
        Assert.False(await Store.FailJobAsync(job.Id, "again", T, ct));
        Assert.Null(await Store.FindJobAsync(Guid.NewGuid(), ct));
    }

    [Fact]
    public async Task A_cancelled_job_stays_cancelled_and_shows_none_of_its_files()
    {
        var ct = TestContext.Current.CancellationToken;
        var job = Job(partitions: 2);
        await Store.CreateJobAsync(job, ct);
        await Store.CompletePartitionAsync(job.Id, 0, Outcome(job, 0, File(job, 0, "y.parquet")), Merge, ct);
        Assert.True(await Store.CancelJobAsync(job.Id, T.AddMinutes(1), ct));
        Assert.False(await Store.CancelJobAsync(job.Id, T.AddMinutes(2), ct));
        Assert.Equal(PartitionResult.Ignored,
            await Store.CompletePartitionAsync(job.Id, 1, Outcome(job, 1, File(job, 1, "z.parquet")), Merge, ct));
        Assert.Equal(JobStatus.Cancelled, (await Store.FindJobAsync(job.Id, ct))!.Status);
        Assert.Equal([JobStatus.Succeeded, JobStatus.Cancelled], (await Store.ListPartitionsAsync(job.Id, ct)).Select(p => p.Status));
        Assert.Empty(await Store.ListOfflineFilesAsync("default", "stats", null, includeStaged: false, ct));
    }

    [Fact]
    public async Task Partitions_finishing_together_complete_the_job_exactly_once()
    {
        var ct = TestContext.Current.CancellationToken;
        var job = Job(partitions: 8);
        await Store.CreateJobAsync(job, ct);
        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(p => Task.Run(() =>
            Store.CompletePartitionAsync(job.Id, p, Outcome(job, p, File(job, p, $"f{p}.parquet")), Merge, ct), ct)));
        Assert.Equal(1, results.Count(r => r == PartitionResult.JobSucceeded));
        Assert.Equal(7, results.Count(r => r == PartitionResult.Recorded));
        Assert.Equal(8, (await Store.ListOfflineFilesAsync("default", "stats", 1, includeStaged: false, ct)).Count);
        Assert.Equal((100L, 80L),
            ((await Store.FindJobAsync(job.Id, ct))!.RowsRead!.Value, (await Store.FindJobAsync(job.Id, ct))!.OfflineRowsWritten!.Value));
        Assert.Single(await Store.ListOfflineCommitsAsync("default", "stats", 1, ct));
    }

    [Fact]
    public async Task A_job_keeps_its_history_push_cut_and_offline_flag_and_only_an_offline_job_commits()
    {
        var ct = TestContext.Current.CancellationToken;
        var online = Job(view: "pushed", version: 3) with { History = 1, PushCut = 5, Offline = false };
        await Store.CreateJobAsync(online, ct);
        Assert.Equal(online, await Store.FindJobAsync(online.Id, ct));
        await Store.CompletePartitionAsync(online.Id, 0, Outcome(online, 0), Merge, ct);
        Assert.Empty(await Store.ListOfflineCommitsAsync("default", "pushed", 1, ct));
        // Versions sharing a history share where it ended.
        Assert.Equal(online.Window.End, await Store.LastSucceededEndAsync("default", "pushed", 1, ct));
        Assert.Null(await Store.LastSucceededEndAsync("default", "pushed", 3, ct));
    }

    private static CataloguedFile Pushed(string path, int hour) =>
        new(path, "2024-02-01", 2, T.AddHours(hour), T.AddHours(hour + 1), new string('a', 64), 50);

    private static OfflineFileRecord ViewFile(string view, int history, Guid push, int hour) => new(
        $"offline/default/{view}/v{history}/date=2024-02-01/push-{push:N}-0.parquet", "default", view, history, push, 0, "2024-02-01", 2,
        T.AddHours(hour), T.AddHours(hour + 1), new string('b', 64), 60, T.AddHours(hour), T.AddHours(hour + 1), null);

    [Fact]
    public async Task A_push_is_the_next_entry_of_its_sources_log_and_one_commit_of_every_views_history()
    {
        var ct = TestContext.Current.CancellationToken;
        var (first, second) = (Guid.NewGuid(), Guid.NewGuid());
        var push = new PushRecord("default", "clicks", first, T,
            [Pushed($"pushes/default/clicks/date=2024-02-01/push-{first:N}-0.parquet", 0)],
            [ViewFile("a", 1, first, 0), ViewFile("b", 2, first, 0)]);
        await Store.CommitPushAsync(push, ct);
        await Store.CommitPushAsync(push, ct); // recorded again: nothing changes
        await Store.CommitPushAsync(new PushRecord("default", "clicks", second, T.AddHours(5),
            [Pushed($"pushes/default/clicks/date=2024-02-01/push-{second:N}-0.parquet", 4)], [ViewFile("a", 1, second, 4)]), ct);

        Assert.Equal(2, await Store.LastPushSequenceAsync("default", "clicks", ct));
        Assert.Equal(0, await Store.LastPushSequenceAsync("default", "other", ct));
        Assert.Equal([1L], (await Store.ListPushedFilesAsync("default", "clicks", 1, ct)).Select(f => f.Sequence));
        Assert.Equal([1L, 2L], (await Store.ListPushedFilesAsync("default", "clicks", long.MaxValue, ct)).Select(f => f.Sequence));
        var commits = await Store.ListOfflineCommitsAsync("default", "a", 1, ct);
        Assert.Equal([(1L, OfflineCommitKind.Push, first, 1L, new TimeWindow(T, T.AddHours(1))),
            (2L, OfflineCommitKind.Push, second, 2L, new TimeWindow(T.AddHours(4), T.AddHours(5)))],
            commits.Select(c => (c.Sequence, c.Kind, c.Id, c.PushSequence!.Value, c.Range)));
        Assert.Single(await Store.ListOfflineCommitsAsync("default", "b", 2, ct));
        Assert.Equal([1L, 2L],
            (await Store.ListOfflineFilesAsync("default", "a", 1, includeStaged: false, ct)).Select(f => f.CommitSequence!.Value));
    }
}
