using Aspire.Hosting.Testing;
using FeatureStore.Samples.Churn;
using FeatureStore.Storage.Objects;

namespace FeatureStore.AppHost.Tests;

/// <summary>The real AppHost: every resource healthy, apply → materialize → serve through feature-api, then the churn sample up to a
/// prediction, traced end to end.</summary>
public sealed class AppHostTests(AppHostFixture fixture)
{
    [Fact]
    public async Task The_stack_starts_healthy_then_applies_materializes_and_serves()
    {
        var ct = TestContext.Current.CancellationToken;
        var app = fixture.App;
        using var registry = app.CreateHttpClient("registry");
        registry.DefaultRequestHeaders.Add(TestCredentials.Header, TestCredentials.AdminKey);
        using var featureApi = app.CreateHttpClient("feature-api");
        featureApi.DefaultRequestHeaders.Add(TestCredentials.Header, TestCredentials.AdminKey);
        var minio = await app.GetConnectionStringAsync("minio", ct)
            ?? throw new InvalidOperationException("the object store's connection string did not resolve");
        var objects = new S3ObjectStore(S3ObjectStore.CreateClient(minio), "featurestore");

        await ApplyMaterializeServe.WalkAsync(registry, featureApi,
            (key, data) => objects.PutAsync(key, new MemoryStream(data), ct), "default");

        using var modelApi = app.CreateHttpClient("model-api");
        modelApi.DefaultRequestHeaders.Add(TestCredentials.Header, TestCredentials.AdminKey);
        var sample = await new ChurnSampleRun(registry, modelApi, objects.PutAsync)
            .RunAsync(new ChurnSampleOptions(Customers: 300, Seed: 1, DateTime.UtcNow), ct);
        Assert.True(sample.Auc > 0.7, $"held-out AUC {sample.Auc}");
        // The prediction continues a trace of the test's own, which must reach feature-api and Redis (issue 12).
        var trace = TestTrace.New();
        using var predict = await modelApi.SendAsync(trace.Stamp(new HttpRequestMessage(HttpMethod.Post, "api/v1/predict/churn")
        {
            Content = new StringContent("""{"customerId":1}""", System.Text.Encoding.UTF8, "application/json"),
        }), ct);
        Assert.Equal(System.Net.HttpStatusCode.OK, predict.StatusCode);
        await TracePropagationTests.AssertPredictionTraceAsync(fixture, trace, ct);

        // Feast's gRPC API on feature-api's own h2c endpoint serves the same online store.
        using var channel = Grpc.Net.Client.GrpcChannel.ForAddress(app.GetEndpoint("feature-api", "grpc"));
        var online = await new Feast.Serving.ServingService.ServingServiceClient(channel).GetOnlineFeaturesAsync(
            new Feast.Serving.GetOnlineFeaturesRequest
            {
                Features = new Feast.Serving.FeatureList { Val = { "customer_profile:age" } },
                Entities = { ["customer_id"] = new Feast.Types.RepeatedValue { Val = { new Feast.Types.Value { Int64Val = 1 } } } },
            },
            new Grpc.Core.Metadata { { TestCredentials.Header, TestCredentials.AdminKey }, { "X-FeatureStore-Project", "churn" } },
            cancellationToken: ct);
        Assert.Equal(Feast.Serving.FieldStatus.Present, online.Results[1].Statuses[0]);

        // Both pipeline-worker replicas take partitions of one job from RabbitMQ.
        var end = DateTime.UtcNow;
        var job = await HttpJobs.MaterializeAsync(registry, "churn", "customer_activity", end.AddDays(-400), end, partitions: 4, ct);
        var workers = job.GetProperty("partitions").EnumerateArray().Select(p => p.GetProperty("worker").GetString()).Distinct().ToList();
        Assert.True(workers.Count == 2, $"partitions ran on {string.Join(", ", workers)}");
    }
}
