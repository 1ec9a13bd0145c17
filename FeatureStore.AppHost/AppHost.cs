// The whole stack under Docker: `dotnet run --project FeatureStore.AppHost` (dashboard included).
// Resource names are the configuration contract of DESIGN.md: each service reads ConnectionStrings:<name>.
var builder = DistributedApplication.CreateBuilder(args);

var redis = builder.AddRedis("redis");
// Resource names are unique, and "registry" is the service: the database resource is "registry-db",
// handed to services under the connection name "registry".
var registryDb = builder.AddPostgres("postgres").WithDataVolume().AddDatabase("registry-db", databaseName: "registry");
var messaging = builder.AddRabbitMQ("messaging").WithManagementPlugin();

// MinIO has no integration in Aspire itself: a container, plus a connection string built from its S3 endpoint.
var minioUser = builder.AddParameter("minio-user", "featurestore", secret: true);
var minioPassword = builder.AddParameter("minio-password", new GenerateParameterDefault { MinLength = 24, Special = false }, secret: true, persist: true);
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

var registry = builder.AddProject<Projects.FeatureStore_Registry>("registry")
    .WithReference(registryDb, connectionName: "registry").WaitFor(registryDb)
    .WithReference(minioConnection, connectionName: "minio").WaitFor(minioConnection).WaitFor(minio)
    .WithReference(messaging).WaitFor(messaging)
    .WithHttpHealthCheck("/health");

var workerReplicas = int.TryParse(builder.Configuration["PipelineWorker:Replicas"], out var replicas) && replicas > 0 ? replicas : 1;
builder.AddProject<Projects.FeatureStore_PipelineWorker>("pipeline-worker")
    .WithReplicas(workerReplicas)
    .WithReference(redis).WaitFor(redis)
    .WithReference(minioConnection, connectionName: "minio").WaitFor(minioConnection).WaitFor(minio)
    .WithReference(messaging).WaitFor(messaging)
    .WithReference(registry).WaitFor(registry)
    .WithHttpHealthCheck("/health");

var featureApi = builder.AddProject<Projects.FeatureStore_FeatureApi>("feature-api")
    .WithReference(redis).WaitFor(redis)
    .WithReference(minioConnection, connectionName: "minio").WaitFor(minioConnection).WaitFor(minio)
    .WithReference(messaging).WaitFor(messaging)
    .WithReference(registry).WaitFor(registry)
    .WithExternalHttpEndpoints()
    .WithHttpHealthCheck("/health");

// model-api keeps model versions in the registry database, artifacts in MinIO, and reads features through feature-api.
builder.AddProject<Projects.FeatureStore_ModelApi>("model-api")
    .WithReference(registryDb, connectionName: "registry").WaitFor(registryDb)
    .WithReference(minioConnection, connectionName: "minio").WaitFor(minioConnection).WaitFor(minio)
    .WithReference(messaging).WaitFor(messaging)
    .WithReference(registry).WaitFor(registry)
    .WithReference(featureApi).WaitFor(featureApi)
    .WithExternalHttpEndpoints()
    .WithHttpHealthCheck("/health");

builder.Build().Run();
