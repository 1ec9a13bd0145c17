using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using FeatureStore.IntegrationTests.Services;

namespace FeatureStore.IntegrationTests.Models;

/// <summary>
/// Predictions while feature-api cannot serve, on the real standalone host (its first-run churn sample trained and promoted,
/// online values in a Redis of this test's own). model-api reaches feature-api through a <see cref="LocalTcpProxy"/> the test
/// cuts (feature-api dead: connections refused) or stalls (feature-api hung: connections accepted, never answered); Redis is
/// killed for feature-api's own outage. A request that asks for it is predicted without the online features and says so, the
/// others are 503s naming feature-api; the circuit answers at once while open and closes by itself once feature-api is back.
/// </summary>
public sealed class PredictionOutageTests : IAsyncLifetime
{
    private const string PredictWithout = "predictWithout";
    private readonly OwnedResources _resources = new("predict-outage");
    private LocalRedis _redis = null!;
    private LocalTcpProxy _featureApi = null!;
    private ServiceProcess _host = null!;
    private HttpClient _http = null!;

    public async ValueTask InitializeAsync()
    {
        _redis = _resources.Own(await LocalRedis.StartAsync());
        var port = LoopbackPorts.Free();
        _featureApi = _resources.Own(LocalTcpProxy.Start("127.0.0.1", port));
        _host = _resources.Own(ServiceProcess.Start("standalone", "services/standalone", "FeatureStore.Standalone",
            new Dictionary<string, string>
            {
                ["FeatureStore__DataDirectory"] = _resources.DataDirectory,
                ["FeatureStore__Sample__Customers"] = "300",
                ["ConnectionStrings__redis"] = _redis.ConnectionString,
                // The host's model-api calls its own feature-api through the proxy, as it would another host.
                ["services__feature-api__http__0"] = $"http://127.0.0.1:{_featureApi.Port}",
            }, port));
        await _host.WaitUntilReadyAsync(TimeSpan.FromSeconds(90));
        _http = _host.CreateClient();
        var deadline = DateTime.UtcNow.AddMinutes(3);
        while ((await _http.GetForJsonAsync("api/v1/models/churn", TestContext.Current.CancellationToken))
               .GetProperty("promoted").ValueKind == JsonValueKind.Null)
        {
            Assert.True(DateTime.UtcNow < deadline, $"no promoted churn model after 3 minutes\n{_host.LogTail()}");
            await Task.Delay(500, TestContext.Current.CancellationToken);
        }
    }

    [Fact]
    public async Task Predictions_degrade_only_when_asked_while_feature_api_is_down_and_become_whole_again_by_themselves()
    {
        var output = TestContext.Current.TestOutputHelper;
        AssertWhole(await PredictAsync(PredictWithout));
        // feature-api's refusal of the request itself (a 4xx) is never hidden behind a degraded answer.
        var refused = await PredictAsync(PredictWithout, customerId: "not a number");
        Assert.True(refused.Status == 400 && refused.ErrorFields.SequenceEqual(["customerId"]), refused.Text);

        // Dead: nothing listens. The default (configured "fail") is a 503 naming feature-api; "predictWithout" a degraded 200.
        _featureApi.Cut();
        var failed = await PredictAsync(null);
        Assert.True(failed.Status == 503 && failed.ErrorFields.SequenceEqual(["feature-api"]), failed.Text);
        Assert.NotNull(failed.Headers.RetryAfter);
        AssertDegraded(await PredictAsync(PredictWithout), "could not be reached");
        var dead = await Load.DuringAsync(TimeSpan.FromSeconds(6),
            new Call("fail", () => PredictAsync(null), Success: 503), Degrading("predictWithout"));
        output?.WriteLine($"feature-api dead (6 s): {Load.Describe(dead)}");
        Load.AssertAllRefused(dead.Where(a => a.Call == "fail"), "feature-api");
        Assert.All(dead.Where(a => a.Call != "fail"), a => AssertDegraded(a.Answer, "feature-api could not be reached"));
        var open = dead.Where(a => a.Answer.Text.Contains("circuit is open", StringComparison.Ordinal)).ToList();
        Assert.True(open.Count > 0, $"the circuit never opened: {Load.Describe(dead)}");
        output?.WriteLine($"circuit open (feature-api dead): {Latencies(open)}");

        _featureApi.StartAgain();
        output?.WriteLine($"feature-api back: whole predictions again after {await UntilWholeAsync(present: true):F2} s");

        // Hung: connections accepted, never answered. Callers wait out the 2 s attempt until the circuit opens; from then on
        // they are answered at once and feature-api sees only the circuit's probes (one per 5 s break).
        _featureApi.Stall();
        var hung = await Load.DuringAsync(TimeSpan.FromSeconds(12), Degrading("1"), Degrading("2"), Degrading("3"), Degrading("4"));
        Assert.All(hung, a => AssertDegraded(a.Answer, "feature-api"));
        var firstOpen = hung.FindIndex(a => a.Answer.Text.Contains("circuit is open", StringComparison.Ordinal));
        Assert.True(firstOpen >= 0, $"the circuit never opened while feature-api hung: {Load.Describe(hung)}");
        Assert.Contains(hung, a => a.Answer.Text.Contains("no answer within 2 s", StringComparison.Ordinal));
        var connectionsAtOpen = _featureApi.Accepted;
        var opened = Stopwatch.StartNew();
        var whileOpen = await Load.DuringAsync(TimeSpan.FromSeconds(10), Degrading("1"), Degrading("2"), Degrading("3"), Degrading("4"));
        var probes = _featureApi.Accepted - connectionsAtOpen;
        output?.WriteLine($"feature-api hung: {Load.Describe(hung)}; then in {opened.Elapsed.TotalSeconds:F1} s of open circuit "
            + $"{whileOpen.Count} degraded predictions, {probes} connections reached feature-api; "
            + $"circuit-open answers: {Latencies(whileOpen.Where(a => a.Answer.Text.Contains("circuit is open")).ToList())}");
        Assert.All(whileOpen, a => AssertDegraded(a.Answer, "feature-api"));
        // Without the breaker each of the 4 callers would open a connection per 2 s attempt: 20 in 10 s.
        Assert.True(probes <= 4, $"{probes} connections reached the hung feature-api while its circuit was open");
        var median = whileOpen.Select(a => a.Took).Order().ElementAt(whileOpen.Count / 2);
        Assert.True(median < TimeSpan.FromSeconds(1), $"answers waited while the circuit was open: {Latencies(whileOpen)}");

        _featureApi.Cut();
        _featureApi.StartAgain();
        output?.WriteLine($"feature-api answering again: whole predictions after {await UntilWholeAsync(present: true):F2} s");

        // feature-api up, its online store down: feature-api answers 503 naming onlineStore, and model-api passes that on.
        await _redis.KillAsync();
        var storeDown = await PredictAsync(null);
        Assert.True(storeDown.Status == 503 && storeDown.ErrorFields.SequenceEqual(["feature-api"]), storeDown.Text);
        Assert.Contains("onlineStore", storeDown.Text, StringComparison.Ordinal);
        AssertDegraded(await PredictAsync(PredictWithout), "feature-api answered 503 (onlineStore");
        var redisDown = await Load.DuringAsync(TimeSpan.FromSeconds(4), Degrading("predictWithout"));
        Assert.All(redisDown, a => AssertDegraded(a.Answer, "feature-api"));
        await _redis.StartAgainAsync();
        // A restarted Redis is empty: whole means read from the store again, with every value NOT_FOUND.
        output?.WriteLine($"Redis down (4 s): {Load.Describe(redisDown)}; after its restart predictions are whole again after "
            + $"{await UntilWholeAsync(present: false):F2} s");
        Assert.False(_host.HasExited, _host.LogTail());
        Assert.Contains("without online features", _host.LogTail(100_000), StringComparison.Ordinal);
    }

    private Call Degrading(string name) => new(name, () => PredictAsync(PredictWithout));

    private async Task<Answer> PredictAsync(string? whenFeaturesUnavailable, object? customerId = null)
    {
        var body = new Dictionary<string, object> { ["customerId"] = customerId ?? 1 };
        if (whenFeaturesUnavailable is not null) body["whenFeaturesUnavailable"] = whenFeaturesUnavailable;
        return await Answer.ReadAsync(await _http.PostAsJsonAsync("api/v1/predict/churn", body, TestContext.Current.CancellationToken));
    }

    /// <summary>Predicts (asking to degrade) until a prediction is read from feature-api again; the seconds that took.</summary>
    private async Task<double> UntilWholeAsync(bool present)
    {
        var clock = Stopwatch.StartNew();
        Answer answer;
        do answer = await PredictAsync(PredictWithout);
        while (answer.Status == 200 && answer.Body.GetProperty("degraded").GetBoolean() && clock.Elapsed < TimeSpan.FromSeconds(30)
               && await Pause());
        AssertWhole(answer, present);
        return clock.Elapsed.TotalSeconds;
    }

    private static async Task<bool> Pause()
    {
        await Task.Delay(100);
        return true;
    }

    private static void AssertWhole(Answer answer, bool present = true)
    {
        Assert.True(answer.Status == 200, answer.Text);
        Assert.False(answer.Body.GetProperty("degraded").GetBoolean(), answer.Text);
        Assert.Equal(JsonValueKind.Null, answer.Body.GetProperty("degradation").ValueKind);
        var statuses = answer.Body.GetProperty("features").EnumerateArray().Select(f => f.GetProperty("status").GetString()).ToList();
        Assert.DoesNotContain("UNAVAILABLE", statuses);
        if (present) Assert.Contains("PRESENT", statuses);
    }

    /// <summary>A 200 marked degraded by feature-api with <paramref name="reason"/>: every feature UNAVAILABLE and missing.</summary>
    private static void AssertDegraded(Answer answer, string reason)
    {
        Assert.True(answer.Status == 200, answer.Text);
        Assert.True(answer.Body.GetProperty("degraded").GetBoolean(), answer.Text);
        var degradation = answer.Body.GetProperty("degradation");
        Assert.Equal("feature-api", degradation.GetProperty("dependency").GetString());
        Assert.Contains(reason, degradation.GetProperty("reason").GetString(), StringComparison.Ordinal);
        var features = answer.Body.GetProperty("features").EnumerateArray().ToList();
        Assert.NotEmpty(features);
        Assert.All(features, f => Assert.Equal(("UNAVAILABLE", JsonValueKind.Null),
            (f.GetProperty("status").GetString(), f.GetProperty("value").ValueKind)));
        Assert.Equal(features.Select(f => f.GetProperty("name").GetString()),
            answer.Body.GetProperty("missing").EnumerateArray().Select(m => m.GetString()));
        Assert.InRange(answer.Body.GetProperty("probability").GetDouble(), 0, 1);
    }

    private static string Latencies(IReadOnlyCollection<(string Call, Answer Answer, TimeSpan Took)> answers)
    {
        if (answers.Count == 0) return "none";
        var ms = answers.Select(a => a.Took.TotalMilliseconds).Order().ToList();
        return $"{ms.Count} answers, median {ms[ms.Count / 2]:F1} ms, p95 {ms[(int)(ms.Count * 0.95)]:F1} ms, max {ms[^1]:F1} ms";
    }

    public async ValueTask DisposeAsync()
    {
        _http?.Dispose();
        await _resources.DisposeAsync();
    }
}
