namespace FeatureStore.Domain.Monitoring;

/// <summary>
/// The serving latency buckets, shared by the Prometheus histogram and the persisted per-minute counts, and the one way a
/// percentile is read from bucket counts: linear within the bucket it falls in, as Prometheus' <c>histogram_quantile</c> does.
/// </summary>
public static class LatencyHistogram
{
    /// <summary>Upper bounds in seconds; a last, open bucket holds everything slower.</summary>
    public static readonly double[] Bounds =
        [0.0001, 0.00025, 0.0005, 0.00075, 0.001, 0.0015, 0.002, 0.003, 0.005, 0.0075,
            0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

    /// <summary>How many buckets there are: one per bound and the open one.</summary>
    public static int BucketCount => Bounds.Length + 1;

    /// <summary>The bucket of a duration in seconds.</summary>
    public static int BucketOf(double seconds)
    {
        var index = Array.BinarySearch(Bounds, seconds);
        return index >= 0 ? index : ~index;
    }

    /// <summary>The <paramref name="quantile"/> (0–1) of counts per bucket in seconds, or null when there is none. In the open
    /// bucket the answer is the last bound (a lower limit), as nothing bounds it above.</summary>
    public static double? Percentile(IReadOnlyList<long> counts, double quantile)
    {
        long total = 0;
        foreach (var count in counts) total += count;
        if (total == 0) return null;
        var rank = quantile * total;
        long below = 0;
        for (var bucket = 0; bucket < counts.Count; bucket++)
        {
            if (counts[bucket] == 0 || below + counts[bucket] < rank) { below += counts[bucket]; continue; }
            if (bucket >= Bounds.Length) return Bounds[^1];
            var lower = bucket == 0 ? 0 : Bounds[bucket - 1];
            return lower + (Bounds[bucket] - lower) * ((rank - below) / counts[bucket]);
        }
        return Bounds[^1];
    }
}
