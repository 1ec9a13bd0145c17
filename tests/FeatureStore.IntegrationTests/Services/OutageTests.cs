using System.Diagnostics;
using System.Net.Http.Json;
using FeatureStore.Domain;

namespace FeatureStore.IntegrationTests.Services;

/// <summary>
/// A dependency killed under load and started again: while it is down every request it needs is a 503 problem naming it
/// (with Retry-After), never a 500; once it is back the same requests succeed within seconds, with no service restarted.
/// </summary>
public sealed partial class OutageTests : IAsyncDisposable
{
    private readonly OwnedResources _resources = new("outage");

    [Fact]
    public async Task Online_reads_answer_503_naming_Redis_while_it_is_down_and_200_once_it_is_back()
    {
        var ct = TestContext.Current.CancellationToken;
        var backends = Own(await IsolatedBackends.CreateAsync());
        var redis = Own(await LocalRedis.StartAsync());
        var environment = backends.ServiceEnvironment();
        environment["ConnectionStrings__redis"] = redis.ConnectionString;
        environment["FeatureStore__DataDirectory"] = _resources.DataDirectory;
        var registry = Own(ServiceProcess.Start("registry", "services/registry", "FeatureStore.Registry", environment));
        await registry.WaitUntilReadyAsync(TimeSpan.FromSeconds(90));
        environment["services__registry__http__0"] = registry.BaseAddress.ToString();
        var featureApi = Own(ServiceProcess.Start("feature-api", "services/feature-api", "FeatureStore.FeatureApi", environment));
        await featureApi.WaitUntilReadyAsync(TimeSpan.FromSeconds(90));

        using var registryHttp = registry.CreateClient();
        await Repositories.ApplyAsync(registryHttp, Repositories.Customers(Names.DefaultProject,
            new TestView("stats", $"sources/{Names.DefaultProject}/stats.parquet", "0", ("purchases", "int64"))));
        using var http = featureApi.CreateClient();
        var read = new { entities = new Dictionary<string, long[]> { ["customer_id"] = [1, 2] }, features = new[] { "stats:purchases" } };
        async Task<Answer> ReadAsync() => await Answer.ReadAsync(await http.PostAsJsonAsync("api/v1/online-features", read, ct));
        Assert.Equal(200, (await ReadAsync()).Status);

        await redis.KillAsync();
        var during = new List<Answer>();
        for (var clock = Stopwatch.StartNew(); clock.Elapsed < TimeSpan.FromSeconds(8);) during.Add(await ReadAsync());
        Assert.All(during, answer =>
        {
            Assert.True(answer.Status == 503, $"{answer.Status}: {answer.Text}");
            Assert.Equal(["onlineStore"], answer.ErrorFields);
            Assert.NotNull(answer.Headers.RetryAfter);
        });
        Assert.False(featureApi.HasExited);

        await redis.StartAgainAsync();
        var back = Stopwatch.StartNew();
        Answer after;
        do after = await ReadAsync();
        while (after.Status != 200 && back.Elapsed < TimeSpan.FromSeconds(30));
        Assert.True(after.Status == 200, $"still {after.Status} {back.Elapsed.TotalSeconds:F1} s after Redis came back: {after.Text}");
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"Redis outage: {during.Count} reads answered 503 in 8 s; 200 again {back.Elapsed.TotalSeconds:F2} s after the restart");
    }

    private T Own<T>(T resource) where T : IAsyncDisposable => _resources.Own(resource);

    public ValueTask DisposeAsync() => _resources.DisposeAsync();
}
