using FeatureStore.Storage.Models;
using FeatureStore.Storage.Objects;
using FeatureStore.Storage.Online;
using FeatureStore.Storage.Registry;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Minio;
using Npgsql;

namespace FeatureStore.Storage;

/// <summary>
/// Picks each store's backend from the configuration contract (DESIGN.md): the real server when its
/// <c>ConnectionStrings:*</c> key is set, otherwise an embedded backend under
/// <c>FeatureStore:DataDirectory</c>. Redis and PostgreSQL come through Aspire's client integrations
/// (connection, readiness check, telemetry). Each store adds a readiness check; each is idempotent, so
/// modules composed in one process share one instance.
/// </summary>
public static class StorageRegistration
{
    public const string RedisConnection = "redis";
    public const string RegistryConnection = "registry";
    public const string MinioConnection = "minio";
    public const string ReadyTag = "ready";

    public static string DataDirectory(this IHostApplicationBuilder builder) =>
        Path.GetFullPath(builder.Configuration["FeatureStore:DataDirectory"] is { Length: > 0 } configured
            ? configured : Path.Combine(builder.Environment.ContentRootPath, ".data"));

    public static TBuilder AddOnlineStore<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        if (builder.Services.Any(s => s.ServiceType == typeof(IOnlineStore))) return builder;
        if (string.IsNullOrWhiteSpace(builder.Configuration.GetConnectionString(RedisConnection)))
        {
            var path = Path.Combine(builder.DataDirectory(), "online.db");
            builder.Services.AddSingleton<IOnlineStore>(_ => new SqliteOnlineStore(path));
            builder.Services.AddReadinessCheck("online-store", (_, _) => Task.FromResult($"SQLite {path}"));
            return builder;
        }
        // Aspire's client brings the multiplexer, the readiness check "StackExchange.Redis" and a span per Redis
        // command. AbortOnConnectFail is already false in its defaults; forced here so that no connection string
        // (abortConnect=true) can stop a service from starting while Redis is down: /health reports it until it answers.
        builder.AddRedisClient(RedisConnection, configureOptions: options => options.AbortOnConnectFail = false);
        builder.Services.AddSingleton<IOnlineStore, RedisOnlineStore>();
        return builder;
    }

    public static TBuilder AddObjectStore<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        if (builder.Services.Any(s => s.ServiceType == typeof(IObjectStore))) return builder;
        var connectionString = builder.Configuration.GetConnectionString(MinioConnection);
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            var root = Path.Combine(builder.DataDirectory(), "objects");
            builder.Services.AddSingleton<IObjectStore>(new LocalFolderObjectStore(root));
        }
        else
        {
            var bucket = builder.Configuration["FeatureStore:Bucket"] is { Length: > 0 } b ? b : "featurestore";
            builder.Services.AddSingleton<IMinioClient>(_ => S3ObjectStore.CreateClient(connectionString));
            builder.Services.AddSingleton<IObjectStore>(services => new S3ObjectStore(services.GetRequiredService<IMinioClient>(), bucket));
        }
        builder.Services.AddReadinessCheck("object-store", async (services, ct) =>
        {
            await services.GetRequiredService<IObjectStore>().CheckAsync(ct);
            return "reachable";
        });
        return builder;
    }

    public static TBuilder AddRegistryStore<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        if (builder.Services.Any(s => s.ServiceType == typeof(IRegistryStore))) return builder;
        if (string.IsNullOrWhiteSpace(builder.Configuration.GetConnectionString(RegistryConnection)))
        {
            var path = Path.Combine(builder.DataDirectory(), "registry.db");
            builder.Services.AddSingleton(_ =>
            {
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                var source = SqliteFactory.Instance.CreateDataSource(new SqliteConnectionStringBuilder { DataSource = path, DefaultTimeout = 30 }.ToString());
                using (var wal = source.CreateCommand("PRAGMA journal_mode = WAL")) wal.ExecuteNonQuery();
                return new SqlRegistryStore(source, SqlDialect.Sqlite);
            });
            builder.Services.AddReadinessCheck("registry-db", async (services, ct) =>
            {
                await services.GetRequiredService<IRegistryStore>().CheckAsync(ct);
                return services.GetRequiredService<SqlRegistryStore>().Dialect.Name;
            });
        }
        else
        {
            // Aspire's client brings the NpgsqlDataSource, the readiness check "PostgreSql" and Npgsql's spans and metrics.
            builder.AddNpgsqlDataSource(RegistryConnection);
            builder.Services.AddSingleton(services => new SqlRegistryStore(services.GetRequiredService<NpgsqlDataSource>(), SqlDialect.PostgreSql));
        }
        builder.Services.AddSingleton<IRegistryStore>(services => services.GetRequiredService<SqlRegistryStore>());
        builder.Services.AddHostedService<RegistryMigrator>();
        return builder;
    }

    /// <summary>Model versions and training jobs, kept in the registry database (its schema and migrations).</summary>
    public static TBuilder AddModelStore<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        if (builder.Services.Any(s => s.ServiceType == typeof(IModelStore))) return builder;
        builder.AddRegistryStore();
        builder.Services.AddSingleton<IModelStore>(services =>
        {
            var registry = services.GetRequiredService<SqlRegistryStore>();
            return new SqlModelStore(registry.DataSource, registry.Dialect);
        });
        return builder;
    }
}

public static class ReadinessChecks
{
    /// <summary>
    /// Adds a readiness check (served by <c>/health</c>) from a probe that throws when the dependency is
    /// not usable and otherwise describes it ("ping 0.3 ms", "postgresql").
    /// </summary>
    public static IServiceCollection AddReadinessCheck(this IServiceCollection services, string name,
        Func<IServiceProvider, CancellationToken, Task<string>> probe)
    {
        services.AddHealthChecks().Add(new HealthCheckRegistration(name, provider => new ProbeHealthCheck(provider, probe),
            HealthStatus.Unhealthy, [StorageRegistration.ReadyTag]));
        return services;
    }

    private sealed class ProbeHealthCheck(IServiceProvider services, Func<IServiceProvider, CancellationToken, Task<string>> probe) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            try { return HealthCheckResult.Healthy(await probe(services, cancellationToken)); }
            catch (Exception e) { return new HealthCheckResult(context.Registration.FailureStatus, e.Message, e); }
        }
    }
}
