using FeatureStore.Contracts;
using FeatureStore.Domain.Monitoring;

namespace FeatureStore.Registry.Monitoring;

/// <summary>Per-minute usage and latency rows summed into the answers of <c>/monitoring/usage</c> and <c>/monitoring/metrics</c>.</summary>
public static class UsageReports
{
    public static UsageReportDto Usage(string project, DateTimeOffset start, DateTimeOffset end, IReadOnlyList<UsageCount> rows)
    {
        var requests = rows.Where(r => r.Feature.Length == 0).ToList();
        var features = rows.Where(r => r.Feature.Length > 0).ToList();
        List<UsageGroupDto> By(Func<UsageCount, string> name) => requests.GroupBy(name).Where(g => g.Key.Length > 0)
            .Select(g => new UsageGroupDto(g.Key, g.Sum(r => r.Requests), g.Sum(r => r.EntityRows),
                features.Where(f => name(f) == g.Key).Sum(f => f.EntityRows)))
            .OrderByDescending(g => g.Requests).ThenBy(g => g.Name, StringComparer.Ordinal).ToList();
        var perFeature = features.GroupBy(f => f.Feature).Select(g =>
        {
            var (hits, misses, stale) = (g.Sum(f => f.Hits), g.Sum(f => f.Misses), g.Sum(f => f.Stale));
            return new FeatureUsageDto(g.Key, g.Sum(f => f.Requests), g.Sum(f => f.EntityRows), hits, misses, stale,
                Rate(hits, hits + misses + stale));
        }).OrderByDescending(f => f.EntityRows).ThenBy(f => f.Feature, StringComparer.Ordinal).ToList();
        var totals = new UsageGroupDto("total", requests.Sum(r => r.Requests), requests.Sum(r => r.EntityRows),
            features.Sum(f => f.EntityRows));
        return new UsageReportDto(project, start, end, totals, perFeature, By(r => r.FeatureService), By(r => r.Principal),
            By(r => r.Model), By(r => r.Endpoint));
    }

    /// <param name="step">Points per step of the period when given (the whole period otherwise).</param>
    public static ServingMetricsDto Metrics(string project, DateTimeOffset start, DateTimeOffset end, TimeSpan? step,
        IReadOnlyList<LatencyCount> latency, IReadOnlyList<UsageCount> usage)
    {
        var endpoints = latency.Select(l => l.Endpoint).Union(usage.Select(u => u.Endpoint)).Order(StringComparer.Ordinal);
        return new ServingMetricsDto(project, start, end, step is { } s ? Domain.Durations.ToText(s) : null, endpoints.Select(endpoint =>
        {
            var buckets = latency.Where(l => l.Endpoint == endpoint).ToList();
            var reads = usage.Where(u => u.Endpoint == endpoint && u.Feature.Length > 0).ToList();
            var points = step is { } size
                ? Enumerable.Range(0, (int)Math.Ceiling((end - start) / size)).Select(i => start + size * i)
                    .Select(from => Point(from, buckets.Where(b => b.Minute >= from && b.Minute < from + size).ToList(),
                        reads.Where(r => r.Minute >= from && r.Minute < from + size).ToList())).ToList()
                : null;
            return new EndpointMetricsDto(endpoint, Point(start, buckets, reads), points);
        }).ToList());
    }

    private static EndpointMetricsPointDto Point(DateTimeOffset start, IReadOnlyList<LatencyCount> buckets, IReadOnlyList<UsageCount> reads)
    {
        var counts = new long[LatencyHistogram.BucketCount];
        foreach (var bucket in buckets)
            if (bucket.Bucket >= 0 && bucket.Bucket < counts.Length) counts[bucket.Bucket] += bucket.Count;
        double? Ms(double q) => LatencyHistogram.Percentile(counts, q) is { } seconds ? Math.Round(seconds * 1000, 3) : null;
        var (hits, misses, stale) = (reads.Sum(r => r.Hits), reads.Sum(r => r.Misses), reads.Sum(r => r.Stale));
        var found = hits + misses + stale;
        return new EndpointMetricsPointDto(start, counts.Sum(), Ms(0.5), Ms(0.95), Ms(0.99), Rate(hits, found), Rate(misses, found),
            Rate(stale, found));
    }

    private static double? Rate(long part, long whole) => whole > 0 ? Math.Round((double)part / whole, 6) : null;
}
