using System.Diagnostics;

namespace FeatureStore.Benchmarks;

/// <summary>Open-loop (fixed-rate) and closed-loop (peak) load for any async call.</summary>
public static class LoadDriver
{
    public sealed record RateResult(int Rate, int Requests, double P50, double P99, double Max, int Failures);

    /// <summary>
    /// Starts <paramref name="rate"/> calls per second for <paramref name="seconds"/>, each on schedule whether
    /// or not earlier ones finished; latency runs from the scheduled start (no coordinated omission).
    /// </summary>
    public static async Task<RateResult> FixedRateAsync(int rate, double seconds, Func<int, Task> call)
    {
        var count = (int)(rate * seconds);
        var latencies = new double[count];
        var tasks = new Task[count];
        var failures = 0;
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < count; i++)
        {
            var due = (double)i / rate;
            while (clock.Elapsed.TotalSeconds < due)
            {
                if (due - clock.Elapsed.TotalSeconds > 0.002) await Task.Delay(1);
                else Thread.Yield();
            }
            var index = i;
            tasks[i] = Task.Run(async () =>
            {
                try { await call(index); }
                catch { Interlocked.Increment(ref failures); }
                latencies[index] = (clock.Elapsed.TotalSeconds - due) * 1000;
            });
        }
        await Task.WhenAll(tasks);
        Array.Sort(latencies);
        return new RateResult(rate, count, latencies[count / 2], latencies[(int)(count * 0.99)], latencies[^1], failures);
    }

    /// <summary>Calls per second that <paramref name="clients"/> callers, each waiting for its previous answer, complete in <paramref name="seconds"/>.</summary>
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
