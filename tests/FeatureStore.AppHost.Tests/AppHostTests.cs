using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using FeatureStore.Samples.Churn;
using FeatureStore.Storage.Objects;
using FeatureStore.Testing;

namespace FeatureStore.AppHost.Tests;

/// <summary>The real AppHost under Docker: every resource healthy, the thin path through feature-api, then the churn sample up to a prediction.</summary>
public sealed class AppHostTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(5);

    private static readonly string[] Resources =
        ["redis", "postgres", "registry-db", "messaging", "minio", "registry", "pipeline-worker", "feature-api", "model-api"];

    private static async Task<IDistributedApplicationTestingBuilder> CreateAppHostAsync(CancellationToken ct)
    {
        var appHost = await DistributedApplicationTestingBuilder.CreateAsync<Projects.FeatureStore_AppHost>(ct);
        // Without a dashboard nobody can be asked for secrets; tests supply them.
        appHost.Configuration["Parameters:minio-password"] = $"test-{Guid.NewGuid():N}";
        return appHost;
    }

    [Fact]
    public async Task The_model_declares_every_resource_of_the_design()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var appHost = await CreateAppHostAsync(ct);
        var names = appHost.Resources.Select(r => r.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
        foreach (var resource in Resources.Append("minio-connection")) Assert.Contains(resource, names);
        Assert.IsAssignableFrom<IResourceWithConnectionString>(appHost.Resources.Single(r => r.Name == "minio-connection"));
    }

    [Fact]
    public async Task The_stack_starts_healthy_and_serves_the_thin_path()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var appHost = await CreateAppHostAsync(ct);
        await using var app = await appHost.BuildAsync(ct).WaitAsync(Patience, ct);
        await app.StartAsync(ct).WaitAsync(Patience, ct);
        foreach (var resource in Resources)
            await app.ResourceNotifications.WaitForResourceHealthyAsync(resource, ct).WaitAsync(Patience, ct);

        using var registry = app.CreateHttpClient("registry");
        using var featureApi = app.CreateHttpClient("feature-api");
        var minio = await app.GetConnectionStringAsync("minio-connection", ct)
                    ?? throw new InvalidOperationException("the minio connection string did not resolve");
        var objects = new S3ObjectStore(S3ObjectStore.CreateClient(minio), "featurestore");

        await ThinPath.WalkAsync(registry, featureApi, (key, data) => objects.PutAsync(key, new MemoryStream(data), ct), "default");

        // The churn sample end to end: sources into MinIO, repository applied, views materialized, model trained and promoted.
        using var modelApi = app.CreateHttpClient("model-api");
        var sample = await new ChurnSampleRun(registry, modelApi, objects.PutAsync)
            .RunAsync(new ChurnSampleOptions(Customers: 300, Seed: 1, DateTime.UtcNow), ct);
        Assert.True(sample.Auc > 0.7, $"held-out AUC {sample.Auc}");
        using var predict = await modelApi.PostAsync("api/v1/predict/churn",
            new StringContent("""{"customerId":1}""", System.Text.Encoding.UTF8, "application/json"), ct);
        Assert.Equal(System.Net.HttpStatusCode.OK, predict.StatusCode);
    }
}
