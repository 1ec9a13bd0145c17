using System.Diagnostics;

namespace FeatureStore.Benchmarks;

public static class Latency
{
    /// <summary>p50 and p99 in milliseconds of <paramref name="count"/> sequential calls, after a warm-up.</summary>
    public static async Task<(double P50, double P99)> MeasureAsync(int count, Func<Task> call)
    {
        for (var i = 0; i < Math.Min(1000, count); i++) await call();
        var samples = new double[count];
        for (var i = 0; i < count; i++)
        {
            var start = Stopwatch.GetTimestamp();
            await call();
            samples[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }
        Array.Sort(samples);
        return (samples[count / 2], samples[(int)(count * 0.99)]);
    }
}
