using System.Net;
using System.Text.Json;

namespace FeatureStore.IntegrationTests.Services;

/// <summary>
/// Redis and PostgreSQL as the services get them from Aspire's client integrations: readiness checks under the
/// integrations' names, and a service that starts while Redis is down and becomes ready once Redis answers.
/// </summary>
public sealed class StorageWiringTests : IAsyncDisposable
{
    private readonly OwnedResources _resources = new("wiring");

    [Fact]
    public async Task A_service_starts_while_Redis_is_down_and_is_ready_once_it_answers()
    {
        var backends = Own(await IsolatedBackends.CreateAsync());
        var redisPort = LoopbackPorts.Free(); // nothing listens here yet
        var environment = backends.ServiceEnvironment();
        environment["ConnectionStrings__redis"] = $"127.0.0.1:{redisPort}";
        environment["FeatureStore__DataDirectory"] = _resources.DataDirectory;

        var registry = Own(ServiceProcess.Start("registry", "services/registry", "FeatureStore.Registry", environment));
        await registry.WaitUntilReadyAsync(TimeSpan.FromSeconds(90));
        var (_, registryChecks) = await HealthAsync(registry);
        Assert.Equal("Healthy", registryChecks.GetProperty("PostgreSql_registry").GetProperty("status").GetString());
        Assert.False(registryChecks.TryGetProperty("registry-db", out _), "the SQLite check is only for the embedded registry");

        environment["services__registry__http__0"] = registry.BaseAddress.ToString();
        var featureApi = Own(ServiceProcess.Start("feature-api", "services/feature-api", "FeatureStore.FeatureApi", environment));
        await WaitForAliveAsync(featureApi);
        var (status, checks) = await HealthAsync(featureApi);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Equal("Unhealthy", checks.GetProperty("StackExchange.Redis").GetProperty("status").GetString());

        await using var redis = new LocalRedis(redisPort);
        await redis.StartAgainAsync();
        await featureApi.WaitUntilReadyAsync(TimeSpan.FromSeconds(90));
        (_, checks) = await HealthAsync(featureApi);
        Assert.Equal("Healthy", checks.GetProperty("StackExchange.Redis").GetProperty("status").GetString());
    }

    private T Own<T>(T resource) where T : IAsyncDisposable => _resources.Own(resource);

    private static async Task<(HttpStatusCode Status, JsonElement Checks)> HealthAsync(ServiceProcess service)
    {
        using var http = service.CreateClient();
        using var response = await http.GetAsync("health", TestContext.Current.CancellationToken);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).RootElement;
        return (response.StatusCode, body.GetProperty("checks").Clone());
    }

    private static async Task WaitForAliveAsync(ServiceProcess service)
    {
        using var http = new HttpClient { BaseAddress = service.BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (true)
        {
            Assert.False(service.HasExited, $"{service.Name} exited while Redis was down\n{service.LogTail()}");
            try
            {
                using var alive = await http.GetAsync("alive", TestContext.Current.CancellationToken);
                if (alive.StatusCode == HttpStatusCode.OK) return;
            }
            catch (HttpRequestException) { }
            Assert.True(DateTime.UtcNow < deadline, $"{service.Name} did not answer /alive\n{service.LogTail()}");
            await Task.Delay(200, TestContext.Current.CancellationToken);
        }
    }

    public ValueTask DisposeAsync() => _resources.DisposeAsync();
}
