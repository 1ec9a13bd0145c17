using System.Data.Common;
using FeatureStore.Api;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;

namespace FeatureStore.Storage.Sql;

/// <summary>A relational database a service owns, and the dialect its SQL is written in.</summary>
public sealed record SqlDatabase(DbDataSource DataSource, SqlDialect Dialect)
{
    public async Task CheckAsync(CancellationToken cancellationToken)
    {
        await using var connection = await DataSource.OpenConnectionAsync(cancellationToken);
        await SqlCommands.QueryAsync(connection, null, "SELECT 1", r => r.GetValue(0), cancellationToken);
    }
}

public static class SqlDatabaseRegistration
{
    /// <summary>
    /// The database named <paramref name="connectionName"/> as a keyed <see cref="SqlDatabase"/>: PostgreSQL through Aspire's
    /// client integration when <c>ConnectionStrings:{name}</c> is set (its readiness check <c>PostgreSql_{name}</c>, Npgsql's
    /// spans and metrics), otherwise the SQLite file <c>{name}.db</c> under <c>FeatureStore:DataDirectory</c> (readiness check
    /// <c>{name}-db</c>). Idempotent, so modules composed in one process share one database.
    /// </summary>
    public static TBuilder AddSqlDatabase<TBuilder>(this TBuilder builder, string connectionName) where TBuilder : IHostApplicationBuilder
    {
        if (builder.Services.Any(s => s.ServiceType == typeof(SqlDatabase) && Equals(s.ServiceKey, connectionName))) return builder;
        if (string.IsNullOrWhiteSpace(builder.Configuration.GetConnectionString(connectionName)))
        {
            var path = Path.Combine(builder.DataDirectory(), $"{connectionName}.db");
            builder.Services.AddKeyedSingleton(connectionName, (_, _) =>
            {
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                var source = SqliteFactory.Instance.CreateDataSource(
                    new SqliteConnectionStringBuilder { DataSource = path, DefaultTimeout = 30 }.ToString());
                using (var wal = source.CreateCommand("PRAGMA journal_mode = WAL")) wal.ExecuteNonQuery();
                return new SqlDatabase(source, SqlDialect.Sqlite);
            });
            builder.Services.AddReadinessCheck($"{connectionName}-db", async (services, ct) =>
            {
                await services.GetRequiredKeyedService<SqlDatabase>(connectionName).CheckAsync(ct);
                return SqlDialect.Sqlite.Name;
            });
            builder.Services.AddDependencyFailure<SqliteBusyFailure>();
        }
        else
        {
            builder.AddKeyedNpgsqlDataSource(connectionName);
            builder.Services.AddKeyedSingleton(connectionName, (services, _) =>
                new SqlDatabase(services.GetRequiredKeyedService<NpgsqlDataSource>(connectionName), SqlDialect.PostgreSql));
            builder.Services.AddDependencyFailure<PostgresFailure>();
        }
        return builder;
    }

    /// <summary>
    /// A store a service keeps in its own schema: the database, the schema migrated at start, and the store made on it (one
    /// instance). Idempotent: a process composing several modules gets one store.
    /// </summary>
    public static TBuilder AddSqlStore<TBuilder, TStore>(this TBuilder builder, string connectionName, SqlSchema schema,
        Func<SqlDatabase, TStore> create)
        where TBuilder : IHostApplicationBuilder where TStore : class
    {
        if (builder.Services.Any(s => s.ServiceType == typeof(TStore))) return builder;
        builder.AddSchemaMigrator(connectionName, schema);
        builder.Services.AddSingleton(services => create(services.GetRequiredKeyedService<SqlDatabase>(connectionName)));
        return builder;
    }

    /// <summary>Brings <paramref name="schema"/> up to date in the database <paramref name="connectionName"/> before the service takes
    /// requests.</summary>
    public static TBuilder AddSchemaMigrator<TBuilder>(this TBuilder builder, string connectionName, SqlSchema schema)
        where TBuilder : IHostApplicationBuilder
    {
        builder.AddSqlDatabase(connectionName);
        // Not AddHostedService: it keeps one hosted service per type, and one process (the standalone host) migrates several schemas.
        builder.Services.AddSingleton<IHostedService>(services => new SchemaMigrator(
            services.GetRequiredKeyedService<SqlDatabase>(connectionName),
            schema, services.GetRequiredService<Microsoft.Extensions.Logging.ILogger<SchemaMigrator>>()));
        return builder;
    }
}
