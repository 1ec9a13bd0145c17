namespace FeatureStore.AppHost.Infrastructure;

/// <summary>The backing servers as containers (Aspire's own Redis, PostgreSQL and RabbitMQ integrations; MinIO as a plain
/// container).</summary>
public static class ContainerBackends
{
    public static BackingResources Add(IDistributedApplicationBuilder builder)
    {
        // Persisted (a snapshot every 10 s after 100 writes), so a restart keeps the online store.
        var redis = builder.AddRedis("redis").WithDataVolume().WithPersistence(TimeSpan.FromSeconds(10), 100);
        // Resource names are unique, and "registry" is the service: the database resource is "registry-db",
        // handed to services under the connection name "registry".
        var registryDb = builder.AddPostgres("postgres").WithDataVolume().AddDatabase("registry-db", databaseName: "registry");
        var messaging = builder.AddRabbitMQ("messaging").WithManagementPlugin();

        // MinIO has no integration in Aspire itself: a container, plus a connection string built from its S3 endpoint.
        var minioUser = builder.AddParameter("minio-user", "featurestore", secret: true);
        var minioPassword = builder.AddParameter("minio-password", new GenerateParameterDefault { MinLength = 24, Special = false },
            secret: true, persist: true);
        var minio = builder.AddContainer("minio", "minio/minio", "RELEASE.2025-04-22T22-12-26Z")
            .WithArgs("server", "/data", "--console-address", ":9001")
            .WithEnvironment("MINIO_ROOT_USER", minioUser)
            .WithEnvironment("MINIO_ROOT_PASSWORD", minioPassword)
            .WithHttpEndpoint(targetPort: 9000, name: "s3")
            .WithHttpEndpoint(targetPort: 9001, name: "console")
            .WithVolume("featurestore-minio", "/data")
            .WithHttpHealthCheck("/minio/health/live", endpointName: "s3");
        var minioConnection = builder.AddConnectionString("minio-connection",
            ReferenceExpression.Create($"Endpoint={minio.GetEndpoint("s3")};AccessKey={minioUser};SecretKey={minioPassword}"));
        // Services wait for MinIO itself: its connection string resolves before it answers.
        return new BackingResources(new Backing(redis), new Backing(registryDb),
            new Backing(messaging), new Backing(minioConnection, minio));
    }
}
