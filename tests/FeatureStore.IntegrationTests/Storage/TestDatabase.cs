using FeatureStore.Storage.Sql;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace FeatureStore.IntegrationTests.Storage;

/// <summary>A database of its own for one store test: an isolated PostgreSQL database, or a new SQLite file.</summary>
public sealed class TestDatabase(SqlDatabase database, Func<ValueTask>? dispose = null) : IAsyncDisposable
{
    public SqlDatabase Database => database;

    public static async Task<TestDatabase> PostgresAsync()
    {
        var backends = await IsolatedBackends.CreateAsync();
        var source = NpgsqlDataSource.Create(backends.RegistryConnectionString);
        return new TestDatabase(new SqlDatabase(source, SqlDialect.PostgreSql), async () =>
        {
            await source.DisposeAsync();
            await backends.DisposeAsync();
        });
    }

    public static Task<TestDatabase> SqliteAsync() => Task.FromResult(new TestDatabase(new SqlDatabase(
        SqliteFactory.Instance.CreateDataSource(
            $"Data Source={Path.Combine(Path.GetTempPath(), $"fs-store-{Guid.NewGuid():N}.db")};Default Timeout=30"),
        SqlDialect.Sqlite)));

    public ValueTask DisposeAsync() => dispose?.Invoke() ?? ValueTask.CompletedTask;
}
