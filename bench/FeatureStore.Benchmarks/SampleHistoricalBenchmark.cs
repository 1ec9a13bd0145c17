using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using FeatureStore.Client;
using FeatureStore.Testing;

namespace FeatureStore.Benchmarks;

/// <summary>
/// Small historical requests and the churn sample's first start, on the real servers: the standalone host runs the sample
/// (its views materialized over 1,000 days, then a model trained from a historical request), and then
/// <c>POST /api/v1/historical-features</c> for 5 entity rows × the training feature service, one after another. Twice in
/// the same run: offline files sized for reading (the default), the baseline, one file per event date (the layout before,
/// <c>FeatureStore:Worker:OfflineRowsPerFile=1</c>), and that baseline after a compaction of every view by hand (how an
/// existing per-day history is brought to the sized layout; the time it took is printed). Automatic compaction is off.
/// </summary>
public static class SampleHistoricalBenchmark
{
    private const string TrainingService = "churn_prediction_v1";
    private const int Requests = 40;

    public static async Task RunAsync(BenchmarkOptions options)
    {
        var customers = options.Entities > 0 ? options.Entities : 1000;
        Console.WriteLine($"historical-sample: standalone host on the real servers, churn sample of {customers:N0} customers, " +
                          $"{Requests} requests of 5 entity rows × '{TrainingService}', {Environment.ProcessorCount} cores");
        Console.WriteLine("layout                           offline files  sample first start s   cold ms    p50 ms    p95 ms    max ms");
        foreach (var (label, rowsPerFile, compact) in new[]
                 {
                     ("one file per event date (baseline)", "1", false), ("sized for reading", "", false),
                     ("one file per date, then compacted", "1", true),
                 })
            await MeasureAsync(label, rowsPerFile, compact, customers);
    }

    private static async Task MeasureAsync(string label, string rowsPerFile, bool compact, int customers)
    {
        var project = $"bench_{Guid.NewGuid():N}"[..14];
        var environment = new Dictionary<string, string>
        {
            ["FeatureStore__Sample__Enabled"] = "true", ["FeatureStore__Sample__Project"] = project,
            ["FeatureStore__Sample__Customers"] = $"{customers}", ["FeatureStore__Offline__Compaction__AutomaticAfterFiles"] = "0",
        };
        if (rowsPerFile.Length > 0) environment["FeatureStore__Worker__OfflineRowsPerFile"] = rowsPerFile;
        var started = Stopwatch.StartNew();
        await using var host = await ServiceHost.StandaloneAsync(environment);
        using var store = host.Store();
        await SampleTrainedAsync(store, project);
        var firstStart = started.Elapsed.TotalSeconds;
        using var http = new HttpClient { BaseAddress = host.BaseAddress, Timeout = TimeSpan.FromMinutes(10) };
        http.DefaultRequestHeaders.Add(TestCredentials.Header, TestCredentials.AdminKey);
        if (compact) await CompactAllAsync(store, project);
        var files = 0;
        foreach (var view in (await store.ListFeatureViewsAsync(project)).Select(v => v.Name))
            files += JsonDocument.Parse(await http.GetStringAsync($"api/v1/feature-views/{view}/offline-files?project={project}"))
                .RootElement.GetArrayLength();

        // Entity rows within the last 100 days, where every view of the sample has rows; each request its own.
        var random = new Random(11);
        var now = DateTimeOffset.UtcNow;
        string Body() => JsonSerializer.Serialize(new
        {
            project, featureService = TrainingService,
            entities = Enumerable.Range(0, 5).Select(_ =>
            {
                var at = FeatureStore.Domain.WireTime.Text(now.AddDays(-1 - random.NextDouble() * 99));
                return new Dictionary<string, object>
                { ["customer_id"] = 1 + random.Next(customers), ["event_timestamp"] = at, ["as_of"] = at };
            }),
        });
        // The first request after a restart of the cache: every file it reads comes from the object store.
        var cache = Path.Combine(host.DataDirectory, "offline-cache");
        if (Directory.Exists(cache)) Directory.Delete(cache, recursive: true);
        else Console.WriteLine($"  (no file cache at {cache} after the first start)");
        var cold = await TimeAsync(http, Body());
        var samples = new List<double>();
        for (var i = 0; i < Requests; i++) samples.Add(await TimeAsync(http, Body()));
        samples.Sort();
        Console.WriteLine($"{label,-34}{files,12:N0}{firstStart,22:F1}{cold,10:F0}{samples[samples.Count / 2],10:F1}" +
                          $"{samples[(int)(samples.Count * 0.95)],10:F1}{samples[^1],10:F1}");
    }

    private static async Task<double> TimeAsync(HttpClient http, string body)
    {
        var start = Stopwatch.GetTimestamp();
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        using var response = await http.PostAsync("api/v1/historical-features", content);
        var text = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != HttpStatusCode.OK)
            throw new InvalidOperationException($"historical-features answered {(int)response.StatusCode}: {text}");
        return Stopwatch.GetElapsedTime(start).TotalMilliseconds;
    }

    /// <summary>Compacts every view of the project by hand, one after another, and prints how long it took.</summary>
    private static async Task CompactAllAsync(FeatureStoreClient store, string project)
    {
        var started = Stopwatch.StartNew();
        var (filesIn, filesOut) = (0, 0);
        foreach (var view in (await store.ListFeatureViewsAsync(project)).Select(v => v.Name))
        {
            var compaction = await store.WaitForCompactionAsync(view, (await store.CompactAsync(view, project)).Id, project);
            if (compaction.Status != "succeeded") throw new InvalidOperationException($"compaction of {view}: {compaction.Error}");
            (filesIn, filesOut) = (filesIn + compaction.FilesIn, filesOut + compaction.FilesOut!.Value);
        }
        Console.WriteLine($"  compacted by hand: {filesIn:N0} files into {filesOut:N0} in {started.Elapsed.TotalSeconds:F1} s");
    }

    /// <summary>Until the sample's model for this project exists: the first start has materialized every view and trained.</summary>
    private static async Task SampleTrainedAsync(FeatureStoreClient store, string project)
    {
        for (var attempt = 0; attempt < 3600; attempt++)
        {
            if ((await store.ListChurnModelsAsync()).Versions.Any(v => v.Project == project)) return;
            await Task.Delay(250);
        }
        throw new TimeoutException("the churn sample trained no model in 15 minutes");
    }
}
