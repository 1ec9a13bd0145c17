using FeatureStore.ModelApi.Storage;
using FeatureStore.Registry.Storage;
using FeatureStore.Storage.Sql;
using static FeatureStore.Storage.Sql.SqlCommands;

namespace FeatureStore.IntegrationTests.Storage;

/// <summary>
/// The registry and model-api each own a schema in the registry database: each migrates only its own tables, under
/// its own history, in either order and as often as it starts; and model-api takes over the model tables a database
/// made by the registry's older migrations already holds. Run against PostgreSQL and SQLite.
/// </summary>
public abstract class SchemaOwnershipContract : IAsyncLifetime
{
    private TestDatabase? _database;

    private SqlDatabase Database => _database?.Database ?? throw new InvalidOperationException("not initialized");

    protected abstract Task<TestDatabase> CreateDatabaseAsync();

    public async ValueTask InitializeAsync() => _database = await CreateDatabaseAsync();

    public ValueTask DisposeAsync() => _database?.DisposeAsync() ?? ValueTask.CompletedTask;

    private async Task<List<string>> TablesAsync()
    {
        var sql = Database.Dialect == SqlDialect.Sqlite
            ? "SELECT name FROM sqlite_master WHERE type = 'table'"
            : "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'";
        await using var connection = await Database.DataSource.OpenConnectionAsync(TestContext.Current.CancellationToken);
        return await QueryAsync(connection, null, sql, r => r.GetString(0), TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task Each_service_migrates_only_its_own_tables_under_its_own_history()
    {
        var ct = TestContext.Current.CancellationToken;
        await ModelSchema.Schema.MigrateAsync(Database, ct);
        var models = await TablesAsync();
        Assert.Contains("model_versions", models);
        Assert.Contains("model_schema_migrations", models);
        Assert.DoesNotContain("registry_objects", models);
        Assert.DoesNotContain("schema_migrations", models);

        await RegistrySchema.Schema.MigrateAsync(Database, ct);
        await ModelSchema.Schema.MigrateAsync(Database, ct);
        await RegistrySchema.Schema.MigrateAsync(Database, ct);
        var both = await TablesAsync();
        Assert.Contains("registry_objects", both);
        Assert.Contains("schema_migrations", both);

        // The model store works on its tables, and the registry's history never recorded them.
        var store = new SqlModelStore(Database);
        var at = new DateTimeOffset(2024, 3, 1, 0, 0, 0, TimeSpan.Zero);
        await store.AddVersionAsync(new ModelVersion("churn", 1, at, Guid.NewGuid(), "models/churn/1", "{}"), ct);
        await store.PromoteAsync("churn", 1, at, ct);
        Assert.Equal(1, await store.PromotedAsync("churn", ct));
        await using var connection = await Database.DataSource.OpenConnectionAsync(ct);
        var modelHistory = await QueryAsync(connection, null, "SELECT version FROM model_schema_migrations",
            r => Convert.ToInt32(r.GetValue(0)), ct);
        Assert.Equal(ModelSchema.Schema.Migrations.Select(m => m.Version).Order(), modelHistory.Order());
    }

    [Fact]
    public async Task Model_api_takes_over_the_model_tables_an_older_registry_database_holds()
    {
        var ct = TestContext.Current.CancellationToken;
        // What the registry's migrations once made: the model tables, with a promoted version in them.
        await using (var connection = await Database.DataSource.OpenConnectionAsync(ct))
        {
            await ExecuteAsync(connection, null, ModelSchema.Schema.Migrations[0].Sql.Replace("IF NOT EXISTS ", ""), ct);
            await ExecuteAsync(connection, null, "INSERT INTO model_promotions (model, version, promoted_at) VALUES ('churn', 3, @at)", ct,
                ("at", DateTimeOffset.UtcNow));
        }
        await ModelSchema.Schema.MigrateAsync(Database, ct);
        Assert.Equal(3, await new SqlModelStore(Database).PromotedAsync("churn", ct));
    }
}

public sealed class PostgresSchemaOwnershipTests : SchemaOwnershipContract
{
    protected override Task<TestDatabase> CreateDatabaseAsync() => TestDatabase.PostgresAsync();
}

public sealed class SqliteSchemaOwnershipTests : SchemaOwnershipContract
{
    protected override Task<TestDatabase> CreateDatabaseAsync() => TestDatabase.SqliteAsync();
}
