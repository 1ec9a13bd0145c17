using FeatureStore.Domain;
using FeatureStore.Registry.Storage;

namespace FeatureStore.IntegrationTests.Storage;

/// <summary>The registry store's compactions of offline histories.</summary>
public abstract partial class RegistryStoreContract
{
    private async Task<OfflineFileRecord> CommittedRunAsync(int day, string name, CancellationToken ct)
    {
        var job = Job(day: day);
        await Store.CreateJobAsync(job, ct);
        var file = File(job, 0, name);
        Assert.Equal(PartitionResult.JobSucceeded, await Store.CompletePartitionAsync(job.Id, 0, Outcome(job, 0, file), Merge, ct));
        return file;
    }

    private static OfflineCompaction Compaction(long @base, DateTimeOffset at, params OfflineFileRecord[] inputs) =>
        new(Guid.NewGuid(), "default", "stats", 1, @base, "manual", inputs.Select(f => f.Path).ToList(), inputs.Sum(f => f.RowCount), at);

    private static OfflineFileRecord Output(OfflineCompaction compaction, string name) => new(
        $"offline/default/stats/v1/date=2024-02-01/{name}", "default", "stats", 1, compaction.Id, 0, "2024-02-01", 20, T,
        T.AddHours(1), "hash", 100, T, T.AddHours(1), null);

    [Fact]
    public async Task A_compaction_supersedes_its_inputs_in_one_commit_and_only_while_they_are_all_still_read()
    {
        var ct = TestContext.Current.CancellationToken;
        var (a, b) = (await CommittedRunAsync(1, "a.parquet", ct), await CommittedRunAsync(2, "b.parquet", ct));
        var compaction = Compaction(2, T, a, b);
        await Store.StartCompactionAsync(compaction, TimeSpan.FromMinutes(30), ct);
        await Assert.ThrowsAsync<CompactionRunningException>(() =>
            Store.StartCompactionAsync(Compaction(2, T.AddMinutes(1), a, b), TimeSpan.FromMinutes(30), ct));
        var during = await CommittedRunAsync(3, "c.parquet", ct); // commit 3 lands while the compaction runs

        Assert.Equal(CompactionCommit.Committed,
            await Store.CommitCompactionAsync(compaction.Id, [Output(compaction, "x.parquet")], T.AddMinutes(2), ct));
        Assert.Equal(CompactionCommit.AlreadyFinished,
            await Store.CommitCompactionAsync(compaction.Id, [Output(compaction, "y.parquet")], T.AddMinutes(3), ct));
        var commit = (await Store.ListOfflineCommitsAsync("default", "stats", 1, ct))[^1];
        Assert.Equal((4L, OfflineCommitKind.Compaction, compaction.Id, 2L, 20L),
            (commit.Sequence, commit.Kind, commit.Id, commit.Base!.Value, commit.Rows));
        var files = (await Store.ListOfflineFilesAsync("default", "stats", 1, includeStaged: true, ct)).ToDictionary(f => f.Path);
        Assert.Equal([4L, 4L, null, null], new[] { a, b, during, Output(compaction, "x.parquet") }.Select(f => files[f.Path].SupersededBy));
        Assert.Equal(4L, files[Output(compaction, "x.parquet").Path].CommitSequence);
        Assert.DoesNotContain(Output(compaction, "y.parquet").Path, files.Keys); // nothing of the second report was kept
        var done = (await Store.FindCompactionAsync(compaction.Id, ct))!;
        Assert.Equal((CompactionStatus.Succeeded, 4L, 1, 20L),
            (done.Status, done.CommitSequence!.Value, done.FilesOut!.Value, done.RowsIn));
        Assert.Equal([a.Path, b.Path], done.Inputs);

        // Planned from a history read before that commit: one of its inputs is no longer read, so nothing commits.
        var stale = Compaction(3, T.AddMinutes(4), b, during);
        await Store.StartCompactionAsync(stale, TimeSpan.FromMinutes(30), ct);
        Assert.Equal(CompactionCommit.InputsChanged,
            await Store.CommitCompactionAsync(stale.Id, [Output(stale, "z.parquet")], T.AddMinutes(5), ct));
        Assert.Equal(4L, (await Store.ListOfflineCommitsAsync("default", "stats", 1, ct))[^1].Sequence);
        Assert.Null((await Store.ListOfflineFilesAsync("default", "stats", 1, includeStaged: true, ct))
            .Single(f => f.Path == during.Path).SupersededBy);
        var failed = (await Store.FindCompactionAsync(stale.Id, ct))!;
        Assert.Equal(CompactionStatus.Failed, failed.Status);
        Assert.Contains("superseded by another compaction", failed.Error);
        Assert.Equal([stale.Id, compaction.Id], (await Store.ListCompactionsAsync("default", "stats", 10, ct)).Select(c => c.Id));
    }

    [Fact]
    public async Task A_compaction_no_worker_reports_is_abandoned_when_the_next_is_asked_for_and_ends_once()
    {
        var ct = TestContext.Current.CancellationToken;
        var (a, b) = (await CommittedRunAsync(1, "a.parquet", ct), await CommittedRunAsync(2, "b.parquet", ct));
        var lost = Compaction(2, T, a, b);
        await Store.StartCompactionAsync(lost, TimeSpan.FromMinutes(30), ct);
        var next = Compaction(2, T.AddMinutes(31), a, b);
        await Store.StartCompactionAsync(next, TimeSpan.FromMinutes(30), ct);
        var abandoned = (await Store.FindCompactionAsync(lost.Id, ct))!;
        Assert.Equal((CompactionStatus.Failed, T.AddMinutes(31)), (abandoned.Status, abandoned.FinishedAt!.Value));
        Assert.Contains("abandoned", abandoned.Error);
        // Its report arriving late commits nothing.
        Assert.Equal(CompactionCommit.AlreadyFinished,
            await Store.CommitCompactionAsync(lost.Id, [Output(lost, "late.parquet")], T.AddMinutes(32), ct));
        Assert.True(await Store.FailCompactionAsync(next.Id, "the worker could not write it", T.AddMinutes(33), ct));
        Assert.False(await Store.FailCompactionAsync(next.Id, "again", T.AddMinutes(34), ct));
        Assert.Equal("the worker could not write it", (await Store.FindCompactionAsync(next.Id, ct))!.Error);
        Assert.All(await Store.ListOfflineFilesAsync("default", "stats", 1, includeStaged: true, ct), f => Assert.Null(f.SupersededBy));
        Assert.Equal(2, (await Store.ListOfflineCommitsAsync("default", "stats", 1, ct)).Count);
    }
}
