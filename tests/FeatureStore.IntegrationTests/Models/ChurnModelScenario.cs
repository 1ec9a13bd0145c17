using System.Net.Http.Json;
using System.Text;
using FeatureStore.IntegrationTests.Registry;
using FeatureStore.IntegrationTests.Services;
using FeatureStore.Samples.Churn;

namespace FeatureStore.IntegrationTests.Models;

/// <summary>
/// The churn sample run by the four real services: generated data (400 customers) uploaded, the sample repository
/// applied, every view materialized, the model trained and promoted through model-api. Before any of it, a
/// prediction is asked for, to see the answer when no model exists.
/// </summary>
public sealed class ChurnModelScenario : IAsyncLifetime
{
    public const int Customers = 400;
    public ServiceCluster Cluster { get; } = new();
    public DateTime End { get; } = new(DateTime.UtcNow.Ticks - DateTime.UtcNow.Ticks % TimeSpan.TicksPerSecond, DateTimeKind.Utc);
    public string Project => $"{Cluster.Backends.Project}_churn";
    public HttpClient Registry { get; private set; } = null!;
    public HttpClient FeatureApi { get; private set; } = null!;
    public HttpClient ModelApi { get; private set; } = null!;
    public Answer BeforeAnyModel { get; private set; } = null!;
    public ChurnSampleResult Sample { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        await Cluster.StartAsync();
        Registry = Cluster.Registry.CreateClient();
        FeatureApi = Cluster.FeatureApi.CreateClient();
        ModelApi = Cluster.ModelApi.CreateClient();
        BeforeAnyModel = await PostAsync(ModelApi, "api/v1/predict/churn", """{"customerId": 1}""");
        Sample = await new ChurnSampleRun(Registry, ModelApi, (key, content, ct) => Cluster.Objects.PutAsync(key, content, ct))
            .RunAsync(new ChurnSampleOptions(Customers, Seed: 7, End, Project), CancellationToken.None);
    }

    public static async Task<Answer> PostAsync(HttpClient client, string path, string json) =>
        await Answer.ReadAsync(await client.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"),
            TestContext.Current.CancellationToken));

    public static async Task<Answer> PostAsync(HttpClient client, string path, object body) =>
        await Answer.ReadAsync(await client.PostAsJsonAsync(path, body, TestContext.Current.CancellationToken));

    public async ValueTask DisposeAsync()
    {
        Registry?.Dispose();
        FeatureApi?.Dispose();
        ModelApi?.Dispose();
        await Cluster.DisposeAsync();
    }
}
