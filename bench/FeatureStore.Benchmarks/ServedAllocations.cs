namespace FeatureStore.Benchmarks;

/// <summary>
/// Bytes a service process allocates per request: its runtime's own count of allocated bytes (the <c>System.Runtime</c>
/// meter's <c>dotnet.gc.heap.total_allocated</c>, scraped from <c>/metrics</c>) before and after a number of requests, over
/// those requests. Background work counts too: timers and telemetry export, a few KB a second, and now and then much more (the
/// feature log of an earlier run being written, hundreds of KB a request over a round): the least of several rounds is the
/// figure, as such work only ever adds.
/// </summary>
public static class ServedAllocations
{
    /// <summary>Bytes per request: the least, over <paramref name="rounds"/> rounds, of a round's <paramref name="requests"/>
    /// sequential calls. A round whose readings are equal is not one: no request allocates nothing, so its second scrape was
    /// answered stale (seen now and then, after the peak runs: 0 bytes for a gRPC 100-entity round). It is done again, up to
    /// as many times as there are rounds; NaN when no round could be read.</summary>
    public static async Task<double> PerRequestAsync(HttpClient service, int rounds, int requests, Func<int, Task> call)
    {
        var least = double.PositiveInfinity;
        for (var (measured, attempt) = (0, 0); measured < rounds && attempt < 2 * rounds; attempt++)
        {
            var before = (await RuntimeCounters.ReadAsync(service)).Allocated;
            var started = System.Diagnostics.Stopwatch.StartNew();
            for (var i = 0; i < requests; i++) await call(i);
            // The exporter answers a scrape within 300 ms of the last from its cache (OpenTelemetry's default): a round of fast
            // requests read 0. A scrape's own allocations are in neither reading's difference twice.
            var after = (await RuntimeCounters.ReadAfterAsync(service, started.Elapsed)).Allocated;
            if (after <= before) continue;
            measured++;
            least = Math.Min(least, (after - before) / (double)requests);
        }
        return double.IsPositiveInfinity(least) ? double.NaN : least;
    }
}
