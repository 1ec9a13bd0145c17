using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using FeatureStore.Client;
using FeatureStore.Contracts;
using FeatureStore.Testing;

namespace FeatureStore.Benchmarks;

/// <summary>
/// Churn predictions through the real model-api: the standalone host (online store on Redis) runs the churn
/// sample on its first start, then <c>POST /api/v1/predict/churn</c> for random customers at a fixed rate,
/// beside the online-features call alone that each prediction makes (the model's versioned refs, one customer,
/// as_of now) driven the same way in the same run — the difference is model-api's own cost: its HTTP hop to
/// feature-api and the model. Beside them, the same online read in two feature-api processes of their own: on-demand features
/// as the registry chose (in process) and, the baseline, all in DuckDB (<c>FeatureStore:OnDemand:Evaluator=DuckDb</c>).
/// </summary>
public static class PredictBenchmark
{
    public static async Task RunAsync(BenchmarkOptions options)
    {
        var customers = options.Entities > 0 ? options.Entities : 2000;
        var project = $"bench_{Guid.NewGuid():N}"[..14];
        var environment = new Dictionary<string, string>
        {
            ["ConnectionStrings__redis"] = Environment.GetEnvironmentVariable("ConnectionStrings__redis") ?? "127.0.0.1:6390",
            ["FeatureStore__Sample__Enabled"] = "true", ["FeatureStore__Sample__Project"] = project,
            ["FeatureStore__Sample__Customers"] = $"{customers}",
        };
        await using var host = await ServiceHost.StandaloneAsync(environment);
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 256 }) { BaseAddress = host.BaseAddress };
        http.DefaultRequestHeaders.Add(TestCredentials.Header, TestCredentials.AdminKey);
        using var store = host.Store();
        var model = await PromotedModelAsync(store);
        var refs = model.FeatureRefs;
        Console.WriteLine($"predict: standalone host (online store on Redis), churn sample of {customers:N0} customers, " +
                          $"model v{model.Version} ({model.Algorithm}, {refs.Count} features, held-out AUC {model.Metrics.Auc:F3}), " +
                          $"{Environment.ProcessorCount} cores");

        var random = new Random(5);
        var ids = Enumerable.Range(0, 1024).Select(_ => 1 + random.Next(customers)).ToArray();
        Func<int, Task> Predict = i => PostAsync(http, "api/v1/predict/churn", $$"""{"customerId":{{ids[i % ids.Length]}}}""");
        // The same request model-api sends for a prediction; and the same without the on-demand features, to show their share.
        Func<int, Task> Online(IReadOnlyList<string> features, bool asOf, HttpClient? at = null) =>
            i => PostAsync(at ?? http, "api/v1/online-features", JsonSerializer.Serialize(new
            {
                project, features,
                entities = asOf
                    ? new Dictionary<string, object[]>
                    { ["customer_id"] = [ids[i % ids.Length]], ["as_of"] = [FeatureStore.Domain.WireTime.Text(DateTimeOffset.UtcNow)] }
                    : new Dictionary<string, object[]> { ["customer_id"] = [ids[i % ids.Length]] },
            }));
        // The same two calls through the SDK (typed answers, its resilience pipeline): what a .NET caller pays on top.
        Func<int, Task> PredictThroughSdk = i => store.PredictChurnAsync((long)ids[i % ids.Length]);
        Func<int, Task> OnlineThroughSdk = i => store.GetOnlineFeaturesAsync(new Dictionary<string, IReadOnlyList<object?>>
        {
            ["customer_id"] = [(long)ids[i % ids.Length]], ["as_of"] = [FeatureStore.Domain.WireTime.Text(DateTimeOffset.UtcNow)],
        }, refs, project: project);
        var stored = refs.Where(r => !r.StartsWith("churn_signals", StringComparison.Ordinal)).ToList();

        // The same read in two feature-api processes of their own (definitions from the host's registry, the same Redis): on-demand
        // features as the registry chose (in process), and all in DuckDB (FeatureStore:OnDemand:Evaluator), the in-process
        // evaluator's same-run baseline.
        var own = new Dictionary<string, string>
        {
            ["ConnectionStrings__redis"] = environment["ConnectionStrings__redis"],
            ["services__registry__http__0"] = host.BaseAddress.ToString(),
        };
        await using var chosen = await ServiceHost.StartAsync("feature-api", "FeatureStore.FeatureApi", own);
        await using var duckOnly = await ServiceHost.StartAsync("feature-api", "FeatureStore.FeatureApi",
            new Dictionary<string, string>(own) { ["FeatureStore__OnDemand__Evaluator"] = "DuckDb" });
        var reader = await store.CreateApiKeyAsync(new CreateApiKeyRequest
        { Name = "predict bench", Owner = "bench", Projects = [project], Roles = ["reader"] });
        using var chosenHttp = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 256 })
        { BaseAddress = chosen.BaseAddress };
        using var duckHttp = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 256 })
        { BaseAddress = duckOnly.BaseAddress };
        foreach (var client in new[] { chosenHttp, duckHttp }) client.DefaultRequestHeaders.Add(TestCredentials.Header, reader.Secret);

        await LoadDriver.FixedRateAsync(200, 3, Predict); // warm-up
        await LoadDriver.FixedRateAsync(200, 3, Online(refs, asOf: true, chosenHttp));
        await LoadDriver.FixedRateAsync(200, 3, Online(refs, asOf: true, duckHttp));
        await LoadDriver.FixedRateAsync(200, 3, Online(refs, asOf: true));
        await LoadDriver.FixedRateAsync(200, 3, PredictThroughSdk);
        await LoadDriver.FixedRateAsync(200, 3, OnlineThroughSdk);
        Console.WriteLine();
        Console.WriteLine("fixed rate (open loop)                     rate/s   requests    p50 ms    p99 ms    max ms  failed");
        foreach (var rate in new[] { 100, 250 })
        {
            Print("  model-api POST /predict/churn", await LoadDriver.FixedRateAsync(rate, options.Seconds, Predict));
            Print("    through the SDK (PredictChurnAsync)", await LoadDriver.FixedRateAsync(rate, options.Seconds, PredictThroughSdk));
            Print("  feature-api online features alone", await LoadDriver.FixedRateAsync(rate, options.Seconds, Online(refs, asOf: true)));
            Print("    through the SDK (GetOnlineFeatures)", await LoadDriver.FixedRateAsync(rate, options.Seconds, OnlineThroughSdk));
            Print($"    of which stored only ({stored.Count} features)",
                await LoadDriver.FixedRateAsync(rate, options.Seconds, Online(stored, asOf: false)));
            Print("  feature-api of its own, same read",
                await LoadDriver.FixedRateAsync(rate, options.Seconds, Online(refs, true, chosenHttp)));
            Print("    on-demand all in DuckDB (baseline)",
                await LoadDriver.FixedRateAsync(rate, options.Seconds, Online(refs, true, duckHttp)));
        }
        Console.WriteLine($"\nstandalone host peak RSS {host.PeakResidentBytes() / 1e6:N0} MB");
    }

    private static async Task<ModelVersionDto> PromotedModelAsync(FeatureStoreClient store)
    {
        for (var attempt = 0; attempt < 600; attempt++)
        {
            var models = await store.ListChurnModelsAsync();
            if (models.Promoted is { } promoted) return models.Versions.Single(v => v.Version == promoted);
            await Task.Delay(500);
        }
        throw new TimeoutException("the churn sample did not promote a model in 5 minutes");
    }

    private static async Task PostAsync(HttpClient http, string path, string json)
    {
        using var content = new StringContent(json, Encoding.UTF8, "application/json");
        using var response = await http.PostAsync(path, content);
        await response.Content.ReadAsByteArrayAsync();
        if (response.StatusCode != HttpStatusCode.OK) throw new InvalidOperationException($"{path} answered {(int)response.StatusCode}");
    }

    private static void Print(string label, LoadDriver.RateResult result) =>
        Console.WriteLine($"{label,-40}{result.Rate,9:N0}{result.Requests,11:N0}{result.P50,10:F3}{result.P99,10:F3}" +
            $"{result.Max,10:F1}{result.Failures,8}");
}
