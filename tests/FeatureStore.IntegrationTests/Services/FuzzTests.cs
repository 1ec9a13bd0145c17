using System.Net;
using System.Text.Json;
using FeatureStore.Testing.Fuzzing;

namespace FeatureStore.IntegrationTests.Services;

/// <summary>
/// Seeded fuzzing of every operation in the OpenAPI document against the standalone host (all four services in one
/// process, so one crash would take all of them): no 5xx but 501/503, every error a problem, no refused request
/// changing the registry, and the process alive and healthy at the end. CI runs a short form
/// (<c>FEATURESTORE_FUZZ_REQUESTS</c>, 3,000 by default); <c>bench/</c>'s fuzz command runs the long one.
/// </summary>
public sealed class FuzzTests : IAsyncLifetime
{
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), $"fs-fuzz-{Guid.NewGuid():N}");
    private ServiceProcess? _host;

    public async ValueTask InitializeAsync()
    {
        _host = ServiceProcess.Start("standalone-fuzz", "services/standalone", "FeatureStore.Standalone",
            new Dictionary<string, string>
            { ["FeatureStore__DataDirectory"] = _dataDirectory, ["FeatureStore__Sample__Customers"] = "200" });
        await _host.WaitUntilReadyAsync(TimeSpan.FromSeconds(90));
    }

    [Fact]
    public async Task Thousands_of_malformed_and_valid_shaped_requests_break_no_rule_and_no_process()
    {
        var ct = TestContext.Current.CancellationToken;
        using var http = _host!.CreateClient();
        await FuzzTargets.WaitForTheSampleAsync(http, () => _host.LogTail(), ct);
        var count = int.TryParse(Environment.GetEnvironmentVariable("FEATURESTORE_FUZZ_REQUESTS"), out var n) ? n : 3_000;
        var seed = int.TryParse(Environment.GetEnvironmentVariable("FEATURESTORE_FUZZ_SEED"), out var s) ? s : 14;
        var document = await http.GetForJsonAsync("openapi/v1.json", ct);
        var vocabulary = await FuzzTargets.VocabularyAsync(http, ct);
        var fuzzer = new RequestFuzzer(document, seed, vocabulary, () => FuzzTargets.RegistryStateAsync(http));

        var report = await fuzzer.RunAsync(http, count, ct);

        TestContext.Current.TestOutputHelper?.WriteLine($"seed {seed}, {fuzzer.Operations.Count} operations: {report.Summary()}");
        Assert.True(report.Failures.Count == 0,
            $"seed {seed}: {report.Summary()}\n{string.Join("\n", report.Failures.Take(20))}\n{_host.LogTail()}");
        Assert.True(report.StateChanges.Count == 0, string.Join("\n", report.StateChanges.Take(20)));
        Assert.False(_host.HasExited, _host.LogTail());
        using var health = await http.GetAsync("health", ct);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    public async ValueTask DisposeAsync()
    {
        if (_host is not null) await _host.DisposeAsync();
        try { Directory.Delete(_dataDirectory, recursive: true); } catch (IOException) { }
    }
}
