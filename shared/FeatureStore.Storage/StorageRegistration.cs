using FeatureStore.Storage.Models;
using FeatureStore.Storage.Objects;
using FeatureStore.Storage.Online;
using FeatureStore.Storage.Registry;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Minio;
using StackExchange.Redis;

namespace FeatureStore.Storage;

/// <summary>
/// Picks each store's backend from the configuration contract (DESIGN.md): the real server when its
/// <c>ConnectionStrings:*</c> key is set, otherwise an embedded backend under
/// <c>FeatureStore:DataDirectory</c>. Each adds a readiness check; each is idempotent, so modules
/// composed in one process share one instance.
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
        var connectionString = builder.Configuration.GetConnectionString(RedisConnection);
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            var path = Path.Combine(builder.DataDirectory(), "online.db");
            builder.Services.AddSingleton<IOnlineStore>(_ => new SqliteOnlineStore(path));
            builder.Services.AddReadinessCheck("online-store", (_, _) => Task.FromResult($"SQLite {path}"));
            return builder;
        }
        builder.Services.TryAddSingleton<IConnectionMultiplexer>(_ =>
        {
            var options = ConfigurationOptions.Parse(connectionString);
            options.AbortOnConnectFail = false; // start anyway; readiness reports Redis until it answers
            return ConnectionMultiplexer.Connect(options);
        });
        builder.Services.AddSingleton<IOnlineStore, RedisOnlineStore>();
        builder.Services.AddReadinessCheck("redis", async (services, _) =>
            $"ping {(await services.GetRequiredService<IConnectionMultiplexer>().GetDatabase().PingAsync()).TotalMilliseconds:F1} ms");
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
        var connectionString = builder.Configuration.GetConnectionString(RegistryConnection);
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            var path = Path.Combine(builder.DataDirectory(), "registry.db");
            builder.Services.AddSingleton(_ =>
            {
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                var source = SqliteFactory.Instance.CreateDataSource(new SqliteConnectionStringBuilder { DataSource = path, DefaultTimeout = 30 }.ToString());
                using (var wal = source.CreateCommand("PRAGMA journal_mode = WAL")) wal.ExecuteNonQuery();
                return new SqlRegistryStore(source, SqlDialect.Sqlite);
            });
        }
        else
        {
            builder.Services.AddNpgsqlDataSource(connectionString);
            builder.Services.AddSingleton(services => new SqlRegistryStore(services.GetRequiredService<Npgsql.NpgsqlDataSource>(), SqlDialect.PostgreSql));
        }
        builder.Services.AddSingleton<IRegistryStore>(services => services.GetRequiredService<SqlRegistryStore>());
        builder.Services.AddHostedService<RegistryMigrator>();
        builder.Services.AddReadinessCheck("registry-db", async (services, ct) =>
        {
            await services.GetRequiredService<IRegistryStore>().CheckAsync(ct);
            return services.GetRequiredService<SqlRegistryStore>().Dialect.Name;
        });
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
