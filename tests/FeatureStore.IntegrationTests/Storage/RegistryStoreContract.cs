using FeatureStore.Domain;
using FeatureStore.Storage.Registry;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace FeatureStore.IntegrationTests.Storage;

/// <summary>What the registry store must do; run against PostgreSQL and SQLite with the same SQL.</summary>
public abstract class RegistryStoreContract : IAsyncLifetime
{
    private static readonly DateTimeOffset T = new(2024, 2, 1, 0, 0, 0, TimeSpan.Zero);
    private SqlRegistryStore? _store;

    protected SqlRegistryStore Store => _store ?? throw new InvalidOperationException("not initialized");

    protected abstract Task<SqlRegistryStore> CreateStoreAsync();

    public async ValueTask InitializeAsync()
    {
        _store = await CreateStoreAsync();
        await _store.MigrateAsync(TestContext.Current.CancellationToken);
    }

    public virtual ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private static EntityDefinition Entity(string name, string key = "customer_id") =>
        new("default", name, [new JoinKey(key, FeatureValueType.Int64)], ObjectMetadata.Empty);

    private static ObjectWrite Write(IRegistryDefinition definition, int version) =>
        new(definition.Kind, definition.Name, version, DefinitionJson.Serialize(definition.Stamped(version, T)), T);

    private static ObjectWrite Delete(ObjectKind kind, string name, int version) => new(kind, name, version, null, T);

    /// <summary>Commits writes computed from the state under the lock; returns the new revision.</summary>
    private Task<long> CommitAsync(Func<ProjectState, IReadOnlyList<ObjectWrite>> writes, params OutboxMessage[] messages) =>
        Store.CommitAsync("default", state => ((Changeset?)new Changeset(writes(state), messages), 0), TestContext.Current.CancellationToken)
            .ContinueWith(t => t.Result.Revision);

    [Fact]
    public async Task Migrations_can_run_again_without_harm()
    {
        await Store.MigrateAsync(TestContext.Current.CancellationToken);
        await Store.MigrateAsync(TestContext.Current.CancellationToken);
        var state = await Store.LoadProjectAsync("default", TestContext.Current.CancellationToken);
        Assert.Equal((0L, 0), (state.Revision, state.Objects.Count));
    }

    [Fact]
    public async Task Versions_accumulate_and_every_one_stays_readable()
    {
        var ct = TestContext.Current.CancellationToken;
        Assert.Equal(1, await CommitAsync(_ => [Write(Entity("customer"), 1)]));
        Assert.Equal(2, await CommitAsync(s => [Write(Entity("customer", "id"), s.NextVersion(ObjectKind.Entity, "customer"))]));

        var latest = await Store.FindObjectAsync("default", ObjectKind.Entity, "customer", null, ct);
        Assert.Equal((2, 2L), (latest!.Version, latest.Revision));
        Assert.Equal("id", latest.Read<EntityDefinition>().JoinKeys[0].Name);
        Assert.Equal("customer_id", (await Store.FindObjectAsync("default", ObjectKind.Entity, "customer", 1, ct))!.Read<EntityDefinition>().JoinKeys[0].Name);
        Assert.Null(await Store.FindObjectAsync("default", ObjectKind.Entity, "customer", 3, ct));
        Assert.Null(await Store.FindObjectAsync("other", ObjectKind.Entity, "customer", null, ct));
        Assert.Null(await Store.FindObjectAsync("default", ObjectKind.DataSource, "customer", null, ct));
        Assert.Equal([1, 2], (await Store.ListVersionsAsync("default", ObjectKind.Entity, "customer", ct)).Select(v => v.Version));
    }

    [Fact]
    public async Task A_deletion_is_a_version_and_a_later_create_continues_the_numbering()
    {
        var ct = TestContext.Current.CancellationToken;
        await CommitAsync(_ => [Write(Entity("customer"), 1), Write(Entity("store", "store_id"), 1)]);
        await CommitAsync(s => [Delete(ObjectKind.Entity, "customer", s.NextVersion(ObjectKind.Entity, "customer"))]);

        Assert.Null(await Store.FindObjectAsync("default", ObjectKind.Entity, "customer", null, ct));
        Assert.True((await Store.FindObjectAsync("default", ObjectKind.Entity, "customer", 2, ct))!.Deleted);
        var state = await Store.LoadProjectAsync("default", ct);
        Assert.Equal(["store"], state.Objects.Select(o => o.Name));
        Assert.Equal(3, state.NextVersion(ObjectKind.Entity, "customer"));

        await CommitAsync(s => [Write(Entity("customer"), s.NextVersion(ObjectKind.Entity, "customer"))]);
        Assert.Equal(3, (await Store.FindObjectAsync("default", ObjectKind.Entity, "customer", null, ct))!.Version);
        Assert.Equal([false, true, false], (await Store.ListVersionsAsync("default", ObjectKind.Entity, "customer", ct)).Select(v => v.Deleted));
    }

    [Fact]
    public async Task A_commit_that_decides_nothing_or_throws_changes_nothing()
    {
        var ct = TestContext.Current.CancellationToken;
        await Store.CommitAsync("default", _ => ((Changeset?)null, 0), ct);
        await Assert.ThrowsAsync<InvalidOperationException>(() =>
            Store.CommitAsync<int>("default", _ => throw new InvalidOperationException("refused"), ct));
        var state = await Store.LoadProjectAsync("default", ct);
        Assert.Equal((0L, 0), (state.Revision, state.Objects.Count));
    }

    [Fact]
    public async Task Concurrent_commits_to_a_project_never_interleave()
    {
        var ct = TestContext.Current.CancellationToken;
        // Each commit reads the state and writes the next version: interleaving would repeat a version or lose one.
        var commits = Enumerable.Range(1, 12).Select(i => Task.Run(() =>
            CommitAsync(s => [Write(Entity("racy", $"key_{i}"), s.NextVersion(ObjectKind.Entity, "racy"))]), ct));
        var revisions = await Task.WhenAll(commits);
        Assert.Equal(Enumerable.Range(1, 12).Select(i => (long)i), revisions.Order());
        Assert.Equal(Enumerable.Range(1, 12), (await Store.ListVersionsAsync("default", ObjectKind.Entity, "racy", ct)).Select(v => v.Version));
        Assert.Equal(12, (await Store.LoadProjectAsync("default", ct)).Revision);
    }

    [Fact]
    public async Task Outbox_messages_wait_until_marked_sent()
    {
        var ct = TestContext.Current.CancellationToken;
        var first = new OutboxMessage(Guid.NewGuid(), "A", "{}", T);
        var second = new OutboxMessage(Guid.NewGuid(), "B", "{\"x\":1}", T.AddSeconds(1));
        await CommitAsync(_ => [Write(Entity("customer"), 1)], first, second);

        Assert.Equal([first, second], await Store.PendingMessagesAsync(10, ct));
        await Store.MarkSentAsync([first.Id], T.AddMinutes(1), ct);
        Assert.Equal([second], await Store.PendingMessagesAsync(10, ct));
    }

    [Fact]
    public async Task Projects_are_listed_with_their_revisions_and_counts()
    {
        var ct = TestContext.Current.CancellationToken;
        await CommitAsync(_ => [Write(Entity("customer"), 1), Write(Entity("store", "store_id"), 1)]);
        var project = Assert.Single(await Store.ListProjectsAsync(ct));
        Assert.Equal(("default", 1L, 2), (project.Project, project.Revision, project.LiveObjects[ObjectKind.Entity]));
    }

    private static MaterializationJob Job(int partitions = 1, string view = "stats", int version = 1, int day = 1) =>
        new(Guid.NewGuid(), "default", view, version, new TimeWindow(T.AddDays(day - 1), T.AddDays(day)), JobStatus.Pending, T.AddDays(day - 1),
            PartitionCount: partitions, History: version);

    private static OfflineFileRecord File(MaterializationJob job, int partition, string name) => new(
        $"offline/default/{job.View}/v{job.Version}/date=2024-02-01/{name}", "default", job.View, job.Version, job.Id, partition, "2024-02-01",
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
        Assert.Equal((5L, 10L), ((await Store.FindJobAsync(job.Id, ct))!.RowsDone!.Value, (await Store.FindJobAsync(job.Id, ct))!.RowsTotal!.Value));

        Assert.Equal(PartitionResult.Recorded, await Store.CompletePartitionAsync(job.Id, 0, Outcome(job, 0, File(job, 0, "a.parquet")), Merge, ct));
        Assert.Empty(await Store.ListOfflineFilesAsync("default", "stats", 1, includeStaged: false, ct));
        Assert.Single(await Store.ListOfflineFilesAsync("default", "stats", 1, includeStaged: true, ct));
        // A redelivered completion, or a late start, changes nothing.
        Assert.Equal(PartitionResult.Ignored, await Store.CompletePartitionAsync(job.Id, 0, Outcome(job, 0), Merge, ct));
        Assert.False(await Store.MarkPartitionRunningAsync(job.Id, 0, "worker-b", T.AddMinutes(3), ct));

        Assert.Equal(PartitionResult.JobSucceeded, await Store.CompletePartitionAsync(job.Id, 1, Outcome(job, 1, File(job, 1, "b.parquet")), Merge, ct));
        var done = (await Store.FindJobAsync(job.Id, ct))!;
        // Each partition read the whole source: the job read it once.
        Assert.Equal((JobStatus.Succeeded, 100L, 160L, 20L, 18L, 2L, 20L), (done.Status, done.RowsRead!.Value, done.RowsInWindow!.Value,
            done.RowsWritten!.Value, done.OnlineKeysWritten!.Value, done.InvalidRows!.Value, done.OfflineRowsWritten!.Value));
        // Whoever sees the job succeeded sees its merged statistics: they were written in the same transaction.
        Assert.Equal("p0+p1", done.StatisticsJson);
        Assert.Equal(TimeSpan.FromSeconds(3), done.Duration);
        Assert.Equal([1L, 1L], (await Store.ListOfflineFilesAsync("default", "stats", 1, includeStaged: false, ct)).Select(f => f.CommitSequence!.Value));
        Assert.Equal(["worker-a", null], (await Store.ListPartitionsAsync(job.Id, ct)).Select(p => p.Worker));

        var next = Job(day: 2);
        await Store.CreateJobAsync(next, ct);
        await Store.CompletePartitionAsync(next.Id, 0, Outcome(next, 0, File(next, 0, "c.parquet")), Merge, ct);
        Assert.Equal([1L, 1L, 2L], (await Store.ListOfflineFilesAsync("default", "stats", 1, includeStaged: false, ct)).Select(f => f.CommitSequence!.Value));
        var commits = await Store.ListOfflineCommitsAsync("default", "stats", 1, ct);
        Assert.Equal([(1L, OfflineCommitKind.Materialization, job.Id, job.Window, 20L), (2L, OfflineCommitKind.Materialization, next.Id, next.Window, 10L)],
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
        Assert.Equal(PartitionResult.Ignored, await Store.CompletePartitionAsync(job.Id, 0, Outcome(job, 0, File(job, 0, "x.parquet")), Merge, ct));
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
        Assert.Equal(PartitionResult.Ignored, await Store.CompletePartitionAsync(job.Id, 1, Outcome(job, 1, File(job, 1, "z.parquet")), Merge, ct));
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
        Assert.Equal((100L, 80L), ((await Store.FindJobAsync(job.Id, ct))!.RowsRead!.Value, (await Store.FindJobAsync(job.Id, ct))!.OfflineRowsWritten!.Value));
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

    private static CataloguedFile Pushed(string path, int hour) => new(path, "2024-02-01", 2, T.AddHours(hour), T.AddHours(hour + 1), new string('a', 64), 50);

    private static OfflineFileRecord ViewFile(string view, int history, Guid push, int hour) => new(
        $"offline/default/{view}/v{history}/date=2024-02-01/push-{push:N}-0.parquet", "default", view, history, push, 0, "2024-02-01", 2,
        T.AddHours(hour), T.AddHours(hour + 1), new string('b', 64), 60, T.AddHours(hour), T.AddHours(hour + 1), null);

    [Fact]
    public async Task A_push_is_the_next_entry_of_its_sources_log_and_one_commit_of_every_views_history()
    {
        var ct = TestContext.Current.CancellationToken;
        var (first, second) = (Guid.NewGuid(), Guid.NewGuid());
        var push = new PushRecord("default", "clicks", first, T, [Pushed($"pushes/default/clicks/date=2024-02-01/push-{first:N}-0.parquet", 0)],
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
        Assert.Equal([(1L, OfflineCommitKind.Push, first, 1L, new TimeWindow(T, T.AddHours(1))), (2L, OfflineCommitKind.Push, second, 2L, new TimeWindow(T.AddHours(4), T.AddHours(5)))],
            commits.Select(c => (c.Sequence, c.Kind, c.Id, c.PushSequence!.Value, c.Range)));
        Assert.Single(await Store.ListOfflineCommitsAsync("default", "b", 2, ct));
        Assert.Equal([1L, 2L], (await Store.ListOfflineFilesAsync("default", "a", 1, includeStaged: false, ct)).Select(f => f.CommitSequence!.Value));
    }

    [Fact]
    public async Task A_schedule_occurrence_is_recorded_once()
    {
        var ct = TestContext.Current.CancellationToken;
        Assert.Null(await Store.LastScheduleFireAsync("default", "stats", ct));
        Assert.True(await Store.TryRecordScheduleFireAsync("default", "stats", T, ct));
        Assert.False(await Store.TryRecordScheduleFireAsync("default", "stats", T, ct));
        Assert.True(await Store.TryRecordScheduleFireAsync("default", "stats", T.AddHours(1), ct));
        Assert.Equal(T.AddHours(1), await Store.LastScheduleFireAsync("default", "stats", ct));
    }
}

public sealed class PostgresRegistryStoreTests : RegistryStoreContract
{
    private IsolatedBackends? _backends;
    private NpgsqlDataSource? _source;

    protected override async Task<SqlRegistryStore> CreateStoreAsync()
    {
        _backends = await IsolatedBackends.CreateAsync();
        _source = NpgsqlDataSource.Create(_backends.RegistryConnectionString);
        return new SqlRegistryStore(_source, SqlDialect.PostgreSql);
    }

    public override async ValueTask DisposeAsync()
    {
        if (_source is not null) await _source.DisposeAsync();
        if (_backends is not null) await _backends.DisposeAsync();
    }
}

public sealed class SqliteRegistryStoreTests : RegistryStoreContract
{
    protected override Task<SqlRegistryStore> CreateStoreAsync() => Task.FromResult(new SqlRegistryStore(
        SqliteFactory.Instance.CreateDataSource($"Data Source={Path.Combine(Path.GetTempPath(), $"fs-registry-{Guid.NewGuid():N}.db")};Default Timeout=30"),
        SqlDialect.Sqlite));
}
