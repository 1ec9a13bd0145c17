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

    private static FeatureViewDefinition View(string name, string ttl = "1d", params string[] features) => new(
        "default", name, 0, new EntityDefinition("customer", "customer_id", FeatureValueType.Int64),
        new BatchSource($"sources/{name}.parquet", "event_timestamp"),
        (features.Length == 0 ? ["purchases"] : features).Select(f => new FeatureField(f, FeatureValueType.Int64)).ToList(),
        Durations.Parse(ttl), T);

    [Fact]
    public async Task Migrations_can_run_again_without_harm()
    {
        await Store.MigrateAsync(TestContext.Current.CancellationToken);
        await Store.MigrateAsync(TestContext.Current.CancellationToken);
        Assert.Empty(await Store.ListFeatureViewsAsync("default", TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Each_change_is_a_new_version_and_an_unchanged_apply_changes_nothing()
    {
        var ct = TestContext.Current.CancellationToken;
        var first = await Store.ApplyFeatureViewAsync(View("stats"), ct);
        var again = await Store.ApplyFeatureViewAsync(View("stats") with { CreatedAt = T.AddDays(1) }, ct);
        var changed = await Store.ApplyFeatureViewAsync(View("stats", ttl: "2d"), ct);

        Assert.True(first.Changed);
        Assert.Equal(1, first.View.Version);
        Assert.False(again.Changed);
        Assert.Equal(1, again.View.Version);
        Assert.True(changed.Changed);
        Assert.Equal(2, changed.View.Version);

        Assert.Equal(TimeSpan.FromDays(2), (await Store.FindFeatureViewAsync("default", "stats", null, ct))!.Ttl);
        Assert.Equal(TimeSpan.FromDays(1), (await Store.FindFeatureViewAsync("default", "stats", 1, ct))!.Ttl);
        Assert.Null(await Store.FindFeatureViewAsync("default", "stats", 3, ct));
        Assert.Null(await Store.FindFeatureViewAsync("other_project", "stats", null, ct));
    }

    [Fact]
    public async Task Definitions_round_trip_exactly()
    {
        var ct = TestContext.Current.CancellationToken;
        var view = View("exact") with
        {
            Source = new BatchSource("sources/x.parquet", "ts", "created"),
            Features = [new FeatureField("embedding", FeatureValueType.Float32Array), new FeatureField("name", FeatureValueType.String)],
        };
        await Store.ApplyFeatureViewAsync(view, ct);
        var stored = await Store.FindFeatureViewAsync("default", "exact", null, ct);
        Assert.True(view.SameDefinitionAs(stored!));
        Assert.Equal(T, stored!.CreatedAt);
    }

    [Fact]
    public async Task Listing_shows_the_latest_version_of_each_view()
    {
        var ct = TestContext.Current.CancellationToken;
        await Store.ApplyFeatureViewAsync(View("b_view"), ct);
        await Store.ApplyFeatureViewAsync(View("a_view"), ct);
        await Store.ApplyFeatureViewAsync(View("a_view", ttl: "5d"), ct);
        var views = await Store.ListFeatureViewsAsync("default", ct);
        Assert.Equal([("a_view", 2), ("b_view", 1)], views.Select(v => (v.Name, v.Version)));
    }

    [Fact]
    public async Task Concurrent_applies_never_share_or_skip_a_version()
    {
        var ct = TestContext.Current.CancellationToken;
        var attempts = Enumerable.Range(1, 8).Select(async i =>
        {
            try { return (await Store.ApplyFeatureViewAsync(View("racy", ttl: $"{i}d"), ct)).View.Version; }
            catch (ConcurrentChangeException) { return 0; }
        });
        var versions = (await Task.WhenAll(attempts)).Where(v => v > 0).Order().ToList();
        Assert.NotEmpty(versions);
        Assert.Equal(Enumerable.Range(1, versions.Count), versions);
        Assert.Equal(versions.Count, (await Store.FindFeatureViewAsync("default", "racy", null, ct))!.Version);
    }

    [Fact]
    public async Task Jobs_only_move_forward()
    {
        var ct = TestContext.Current.CancellationToken;
        var job = new MaterializationJob(Guid.NewGuid(), "default", "stats", 1, new TimeWindow(T, T.AddDays(1)), JobStatus.Pending, T);
        await Store.CreateJobAsync(job, ct);
        Assert.Equal(job, await Store.FindJobAsync(job.Id, ct));

        Assert.True(await Store.MarkJobRunningAsync(job.Id, T.AddMinutes(1), ct));
        Assert.True(await Store.MarkJobSucceededAsync(job.Id, new JobOutcome(10, 4, 3, TimeSpan.FromMilliseconds(1500), T.AddMinutes(2)), ct));
        // Late or repeated events change nothing.
        Assert.False(await Store.MarkJobRunningAsync(job.Id, T.AddMinutes(3), ct));
        Assert.False(await Store.MarkJobFailedAsync(job.Id, "late failure", null, T.AddMinutes(4), ct));
        Assert.False(await Store.MarkJobSucceededAsync(job.Id, new JobOutcome(0, 0, 0, TimeSpan.Zero, T.AddMinutes(5)), ct));

        var done = (await Store.FindJobAsync(job.Id, ct))!;
        Assert.Equal(JobStatus.Succeeded, done.Status);
        Assert.Equal((10L, 4L, 3L), (done.RowsRead!.Value, done.RowsWritten!.Value, done.OnlineKeysWritten!.Value));
        Assert.Equal(T.AddMinutes(1), done.StartedAt);
        Assert.Equal(T.AddMinutes(2), done.FinishedAt);
        Assert.Equal(TimeSpan.FromMilliseconds(1500), done.Duration);
        Assert.Null(done.Error);
    }

    [Fact]
    public async Task A_failed_job_keeps_its_reason()
    {
        var ct = TestContext.Current.CancellationToken;
        var job = new MaterializationJob(Guid.NewGuid(), "default", "stats", 1, new TimeWindow(T, T), JobStatus.Pending, T);
        await Store.CreateJobAsync(job, ct);
        Assert.True(await Store.MarkJobFailedAsync(job.Id, "source missing", TimeSpan.FromSeconds(2), T.AddMinutes(1), ct));
        var failed = (await Store.FindJobAsync(job.Id, ct))!;
        Assert.Equal((JobStatus.Failed, "source missing"), (failed.Status, failed.Error));
        Assert.Null(await Store.FindJobAsync(Guid.NewGuid(), ct));
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
