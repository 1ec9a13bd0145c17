using FeatureStore.Api;
using FeatureStore.Storage.Objects;
using FeatureStore.Storage.Online;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Minio;

namespace FeatureStore.Storage;

/// <summary>
/// Picks each shared store's backend from the configuration contract (docs/architecture.md): the real server when its
/// <c>ConnectionStrings:*</c> key is set, otherwise an embedded backend under <c>FeatureStore:DataDirectory</c>.
/// Redis comes through Aspire's client integration (connection, readiness check, telemetry); each store adds a
/// readiness check; each is idempotent, so modules composed in one process share one instance. The services' own
/// databases are theirs (<see cref="Sql.SqlDatabaseRegistration"/>).
/// </summary>
public static class StorageRegistration
{
    public const string RedisConnection = "redis";
    public const string MinioConnection = "minio";

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
        // Aspire's client brings the multiplexer and the readiness check "StackExchange.Redis". Not its tracing: it keeps
        // each traced request's span and profiled commands until it turns them into command spans, every 10 s, so at 1,000
        // reads a second ten thousand requests' objects outlive the young generation (feature-api's gen0 pauses, p90, went
        // 27 -> 13 ms without it, gen1's median 69 -> 16 ms). The store's own spans (StorageTelemetry) end with each call.
        // AbortOnConnectFail is already false in its defaults; forced here so that no connection string
        // (abortConnect=true) can stop a service from starting while Redis is down: /health reports it until it answers.
        // Fail fast: while the connection is down a command fails at once (a 503 in milliseconds) instead of waiting in
        // a backlog for the command timeout; the multiplexer reconnects by itself.
        builder.AddRedisClient(RedisConnection, settings => settings.DisableTracing = true, options =>
        {
            options.AbortOnConnectFail = false;
            options.BacklogPolicy = StackExchange.Redis.BacklogPolicy.FailFast;
        });
        builder.Services.AddSingleton<IOnlineStore, RedisOnlineStore>();
        builder.Services.AddDependencyFailure<RedisFailure>();
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
            builder.Services.AddDependencyFailure<ObjectStoreFailure>();
        }
        builder.Services.AddReadinessCheck("object-store", async (services, ct) =>
        {
            await services.GetRequiredService<IObjectStore>().CheckAsync(ct);
            return "reachable";
        });
        return builder;
    }
}
