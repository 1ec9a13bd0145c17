using FeatureStore.Domain;
using FeatureStore.Registry.Storage;
using FeatureStore.Storage.Sql;

namespace FeatureStore.IntegrationTests.Storage;

/// <summary>What the registry store must do; run against PostgreSQL and SQLite with the same SQL.</summary>
public abstract partial class RegistryStoreContract : IAsyncLifetime
{
    private static readonly DateTimeOffset T = new(2024, 2, 1, 0, 0, 0, TimeSpan.Zero);
    private TestDatabase? _database;
    private SqlRegistryStore? _store;

    protected SqlRegistryStore Store => _store ?? throw new InvalidOperationException("not initialized");

    private SqlDatabase Database => _database?.Database ?? throw new InvalidOperationException("not initialized");

    protected abstract Task<TestDatabase> CreateDatabaseAsync();

    public async ValueTask InitializeAsync()
    {
        _database = await CreateDatabaseAsync();
        _store = new SqlRegistryStore(Database);
        await RegistrySchema.Schema.MigrateAsync(Database, TestContext.Current.CancellationToken);
    }

    public ValueTask DisposeAsync() => _database?.DisposeAsync() ?? ValueTask.CompletedTask;

    private static EntityDefinition Entity(string name, string key = "customer_id") =>
        new("default", name, [new JoinKey(key, FeatureValueType.Int64)], ObjectMetadata.Empty);

    private static ObjectWrite Write(IRegistryDefinition definition, int version) =>
        new(definition.Kind, definition.Name, version, DefinitionJson.Serialize(definition.Stamped(version, T)), T);

    private static ObjectWrite Delete(ObjectKind kind, string name, int version) => new(kind, name, version, null, T);

    /// <summary>Commits writes computed from the state under the lock; returns the new revision.</summary>
    private Task<long> CommitAsync(Func<ProjectState, IReadOnlyList<ObjectWrite>> writes, params OutboxMessage[] messages) =>
        Store.CommitAsync("default", state => ((Changeset?)new Changeset(writes(state), messages), 0),
            TestContext.Current.CancellationToken)
            .ContinueWith(t => t.Result.Revision);

    [Fact]
    public async Task Migrations_can_run_again_without_harm()
    {
        await RegistrySchema.Schema.MigrateAsync(Database, TestContext.Current.CancellationToken);
        await RegistrySchema.Schema.MigrateAsync(Database, TestContext.Current.CancellationToken);
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
        Assert.Equal("customer_id",
            (await Store.FindObjectAsync("default", ObjectKind.Entity, "customer", 1, ct))!.Read<EntityDefinition>().JoinKeys[0].Name);
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
        Assert.Equal([false, true, false],
            (await Store.ListVersionsAsync("default", ObjectKind.Entity, "customer", ct)).Select(v => v.Deleted));
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
        Assert.Equal(Enumerable.Range(1, 12),
            (await Store.ListVersionsAsync("default", ObjectKind.Entity, "racy", ct)).Select(v => v.Version));
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
    protected override Task<TestDatabase> CreateDatabaseAsync() => TestDatabase.PostgresAsync();
}

public sealed class SqliteRegistryStoreTests : RegistryStoreContract
{
    protected override Task<TestDatabase> CreateDatabaseAsync() => TestDatabase.SqliteAsync();
}
