using System.Diagnostics;

namespace FeatureStore.Benchmarks;

/// <summary>Open-loop (fixed-rate) and closed-loop (peak) load for any async call.</summary>
public static class LoadDriver
{
    /// <param name="ClientPausedMs">How long this process (the load generator) was paused by its own collector during the run: a
    /// pause delays every answer in flight, whichever service sent it.</param>
    public sealed record RateResult(int Rate, int Requests, double P50, double P99, double Max, int Failures, double ClientPausedMs);

    /// <summary>
    /// Starts <paramref name="rate"/> calls per second for <paramref name="seconds"/>, each on schedule whether or not
    /// earlier ones finished (open loop: a slow answer never delays the next request). The dispatcher sleeps between
    /// ticks (about 1 ms) and sends whatever is due, so it does not burn a core of its own; latency runs from the send.
    /// </summary>
    public static async Task<RateResult> FixedRateAsync(int rate, double seconds, Func<int, Task> call)
    {
        var count = (int)(rate * seconds);
        var latencies = new double[count];
        var sentAt = new long[count]; // timestamps, for BENCH_TAIL
        var tasks = new Task[count];
        var failures = 0;
        var (clock, started, paused) = (Stopwatch.StartNew(), Stopwatch.GetTimestamp(), GC.GetTotalPauseDuration());
        var next = 0;
        while (next < count)
        {
            var due = (int)Math.Min(count, clock.Elapsed.TotalSeconds * rate + 1);
            for (; next < due; next++)
            {
                var index = next;
                tasks[index] = Task.Run(async () =>
                {
                    var sent = sentAt[index] = Stopwatch.GetTimestamp();
                    try { await call(index); }
                    catch { Interlocked.Increment(ref failures); }
                    latencies[index] = Stopwatch.GetElapsedTime(sent).TotalMilliseconds;
                });
            }
            await Task.Delay(1);
        }
        await Task.WhenAll(tasks);
        paused = GC.GetTotalPauseDuration() - paused;
        // BENCH_TAIL=1: when the slowest 1% were sent (s into the run) and how long each took (ms): spread out, or in bursts?
        if (Environment.GetEnvironmentVariable("BENCH_TAIL") is not null)
        {
            var slowest = Enumerable.Range(0, count).OrderByDescending(i => latencies[i]).Take(Math.Max(1, count / 100));
            var shown = slowest.OrderBy(i => sentAt[i])
                .Select(i => $"{Stopwatch.GetElapsedTime(started, sentAt[i]).TotalSeconds:F2}s:{latencies[i]:F1}");
            Console.WriteLine("    tail: " + string.Join(" ", shown));
        }
        Array.Sort(latencies);
        return new RateResult(rate, count, latencies[count / 2], latencies[(int)(count * 0.99)], latencies[^1], failures,
            paused.TotalMilliseconds);
    }

    /// <summary>Calls per second that <paramref name="clients"/> callers, each waiting for its previous answer, complete in
    /// <paramref name="seconds"/>.</summary>
    public static async Task<double> PeakAsync(int clients, double seconds, Func<int, Task> call)
    {
        long done = 0;
        var clock = Stopwatch.StartNew();
        var until = TimeSpan.FromSeconds(seconds);
        await Task.WhenAll(Enumerable.Range(0, clients).Select(c => Task.Run(async () =>
        {
            var i = c;
            while (clock.Elapsed < until)
            {
                await call(i);
                i += clients;
                Interlocked.Increment(ref done);
            }
        })));
        return done / clock.Elapsed.TotalSeconds;
    }
}
