using System.Text.Json;
using FeatureStore.Testing;
using FeatureStore.Testing.Fuzzing;

namespace FeatureStore.Benchmarks;

/// <summary>
/// The long form of the fuzz test: N seeded requests (<c>--rows</c>; <c>--entities</c> is the seed)
/// over every operation of the standalone host's OpenAPI document after its churn sample. Prints the statuses, the rule
/// breaks (5xx but 501/503, an error that is not a problem, a refused request that moved the registry) and the host's
/// resident memory after the sample (the baseline) and after the run: growth there is a leak the short form would not
/// show.
/// </summary>
public static class FuzzBenchmark
{
    public static async Task RunAsync(BenchmarkOptions options)
    {
        var count = options.Rows;
        var seed = options.Entities > 0 ? options.Entities : 14;
        await using var host = await ServiceHost.StandaloneAsync(new Dictionary<string, string>
        { ["FeatureStore__Sample__Enabled"] = "true", ["FeatureStore__Sample__Customers"] = "500" });
        using var http = new HttpClient { BaseAddress = host.BaseAddress, Timeout = TimeSpan.FromSeconds(120) };
        http.DefaultRequestHeaders.Add(TestCredentials.Header, TestCredentials.AdminKey);
        await FuzzTargets.WaitForTheSampleAsync(http, () => "", CancellationToken.None);
        var document = await JsonSerializer.DeserializeAsync<JsonElement>(await http.GetStreamAsync("openapi/v1.json"));
        var fuzzer = new RequestFuzzer(document, seed, await FuzzTargets.VocabularyAsync(http, CancellationToken.None),
            () => FuzzTargets.RegistryStateAsync(http));
        var before = host.ResidentBytes();

        var report = await fuzzer.RunAsync(http, count, CancellationToken.None);

        Console.WriteLine($"fuzz: seed {seed}, {fuzzer.Operations.Count} operations, standalone host, {Environment.ProcessorCount} cores");
        Console.WriteLine($"  {report.Summary()} ({report.Requests / report.Elapsed.TotalSeconds:F0} req/s)");
        var (after, peak) = (host.ResidentBytes() / 1048576.0, host.PeakResidentBytes() / 1048576.0);
        Console.WriteLine($"  host RSS {before / 1048576.0:F0} MB after the sample (baseline), {after:F0} MB after the run, " +
                          $"peak {peak:F0} MB; the host {(await AliveAsync(http) ? "is" : "is NOT")} healthy");
        foreach (var failure in report.Failures.Concat(report.StateChanges).Take(30)) Console.WriteLine($"  {failure}");
    }

    private static async Task<bool> AliveAsync(HttpClient http)
    {
        try { return (await http.GetAsync("health")).IsSuccessStatusCode; }
        catch (HttpRequestException) { return false; }
    }
}
