using System.Globalization;

namespace FeatureStore.Benchmarks;

/// <summary>
/// A service process's own runtime counts (the <c>System.Runtime</c> meter, scraped from its <c>/metrics</c>): bytes allocated,
/// collections per generation and the time its threads were paused for them. Two readings around a run say what the collector
/// did during it: a tail in bursts beside a gen1 or gen2 collection, or beside none.
/// </summary>
public sealed record RuntimeCounters(double Allocated, double Gen0, double Gen1, double Gen2, double PausedSeconds)
{
    /// <summary>How long the exporter may answer a scrape from its cache (OpenTelemetry's default is 300 ms): a reading taken sooner
    /// after a run may not count all of it.</summary>
    public static readonly TimeSpan ScrapeCache = TimeSpan.FromSeconds(1);

    public static async Task<RuntimeCounters> ReadAsync(HttpClient service)
    {
        var lines = (await service.GetStringAsync("metrics")).Split('\n');
        double Value(string name, string? generation = null)
        {
            foreach (var line in lines)
                if (line.StartsWith(name, StringComparison.Ordinal)
                    && (generation is null || line.Contains($"gc_heap_generation=\"{generation}\"", StringComparison.Ordinal)))
                    return double.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture);
            throw new InvalidOperationException($"the service's /metrics has no {name} {generation}");
        }
        return new RuntimeCounters(Value("dotnet_gc_heap_total_allocated"), Value("dotnet_gc_collections_total", "gen0"),
            Value("dotnet_gc_collections_total", "gen1"), Value("dotnet_gc_collections_total", "gen2"),
            Value("dotnet_gc_pause_time_seconds_total"));
    }

    /// <summary>A reading after <paramref name="sinceLast"/> has run since the last one: the scrape cache's time waited out first,
    /// when it has not passed yet.</summary>
    public static async Task<RuntimeCounters> ReadAfterAsync(HttpClient service, TimeSpan sinceLast)
    {
        if (sinceLast < ScrapeCache) await Task.Delay(ScrapeCache - sinceLast);
        return await ReadAsync(service);
    }

    /// <summary>Collections during a run, <c>gen0/gen1/gen2</c>, and the milliseconds paused for them.</summary>
    public string CollectionsSince(RuntimeCounters before) =>
        $"{Gen0 - before.Gen0:F0}/{Gen1 - before.Gen1:F0}/{Gen2 - before.Gen2:F0}, " +
        $"{(PausedSeconds - before.PausedSeconds) * 1000:F0} ms paused";
}
