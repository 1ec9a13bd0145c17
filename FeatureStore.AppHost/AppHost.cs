// The whole stack: `dotnet run --project FeatureStore.AppHost` (dashboard included). The backing servers run as containers
// where a container runtime answers, as local executables elsewhere (--infrastructure containers|executables forces it).
// Resource names are the configuration contract of docs/architecture.md: each service reads ConnectionStrings:<name>.
using FeatureStore.AppHost.Infrastructure;

var builder = DistributedApplication.CreateBuilder(args);
var backing = BackingResources.Add(builder);

// Secure by default: the first admin key (read it from the dashboard's parameters; send it as X-API-Key) and the credential the
// services call each other with, both generated once and kept in the AppHost's user secrets.
var generatedSecret = new GenerateParameterDefault { MinLength = 43, Special = false };
var adminKey = builder.AddParameter("admin-key", generatedSecret, secret: true, persist: true);
var serviceKey = builder.AddParameter("service-key", generatedSecret, secret: true, persist: true);

// The registry's API is public too: apply and materialize are how a deployment is used.
var registry = builder.AddProject<Projects.FeatureStore_Registry>("registry")
    .WithEnvironment("FeatureStore__Auth__AdminKey", adminKey).WithEnvironment("FeatureStore__Auth__ServiceKey", serviceKey)
    .WithBacking(backing.RegistryDatabase, "registry")
    .WithBacking(backing.ObjectStore, "minio")
    .WithBacking(backing.Messaging, "messaging")
    .WithExternalHttpEndpoints()
    .WithHttpHealthCheck("/health");

var workerReplicas = int.TryParse(builder.Configuration["PipelineWorker:Replicas"], out var replicas) && replicas > 0 ? replicas : 1;
builder.AddProject<Projects.FeatureStore_PipelineWorker>("pipeline-worker")
    .WithEnvironment("FeatureStore__Auth__AdminKey", adminKey).WithEnvironment("FeatureStore__Auth__ServiceKey", serviceKey)
    .WithReplicas(workerReplicas)
    .WithBacking(backing.Redis, "redis")
    .WithBacking(backing.ObjectStore, "minio")
    .WithBacking(backing.Messaging, "messaging")
    .WithReference(registry).WaitFor(registry)
    .WithHttpHealthCheck("/health");

var featureApi = builder.AddProject<Projects.FeatureStore_FeatureApi>("feature-api")
    .WithEnvironment("FeatureStore__Auth__AdminKey", adminKey).WithEnvironment("FeatureStore__Auth__ServiceKey", serviceKey)
    .WithBacking(backing.Redis, "redis")
    .WithBacking(backing.ObjectStore, "minio")
    .WithBacking(backing.Messaging, "messaging")
    .WithReference(registry).WaitFor(registry)
    .WithHttpEndpoint(port: 6566, name: "grpc", env: "FeatureStore__Grpc__Port") // Feast's gRPC serving API (h2c), Feast's port
    .WithExternalHttpEndpoints()
    .WithHttpHealthCheck("/health");

// model-api keeps model versions in the registry database, artifacts in the object store, and reads features through feature-api.
var modelApi = builder.AddProject<Projects.FeatureStore_ModelApi>("model-api")
    .WithEnvironment("FeatureStore__Auth__AdminKey", adminKey).WithEnvironment("FeatureStore__Auth__ServiceKey", serviceKey)
    .WithBacking(backing.RegistryDatabase, "registry")
    .WithBacking(backing.ObjectStore, "minio")
    .WithBacking(backing.Messaging, "messaging")
    .WithReference(registry).WaitFor(registry)
    .WithReference(featureApi).WaitFor(featureApi)
    .WithExternalHttpEndpoints()
    .WithHttpHealthCheck("/health");

// The UI: every call through the SDK to the three public services, as the person signed in with their key.
builder.AddProject<Projects.FeatureStore_Web>("web")
    .WithReference(registry).WithReference(featureApi).WithReference(modelApi).WaitFor(modelApi)
    .WithExternalHttpEndpoints()
    .WithHttpHealthCheck("/health");

builder.Build().Run();
