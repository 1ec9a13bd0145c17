using FeatureStore.Contracts;
using FeatureStore.Domain.Monitoring;
using FeatureStore.Registry.Monitoring;

namespace FeatureStore.UnitTests;

public sealed class UsageReportsTests
{
    private static readonly DateTimeOffset Minute = new(2026, 5, 1, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_percentile_is_read_linearly_within_its_bucket()
    {
        var counts = new long[LatencyHistogram.BucketCount];
        counts[LatencyHistogram.BucketOf(0.0009)] = 50; // (0.75 ms, 1 ms]
        counts[LatencyHistogram.BucketOf(0.0040)] = 50; // (3 ms, 5 ms]
        Assert.Equal(0.001, LatencyHistogram.Percentile(counts, 0.5)!.Value, 9);
        Assert.Equal(0.003 + 0.002 * 0.98, LatencyHistogram.Percentile(counts, 0.99)!.Value, 9);
        Assert.Null(LatencyHistogram.Percentile(new long[LatencyHistogram.BucketCount], 0.5));
        counts[^1] = 1000; // slower than every bound: the last bound is all that can be said
        Assert.Equal(LatencyHistogram.Bounds[^1], LatencyHistogram.Percentile(counts, 0.99));
        Assert.Equal(4, LatencyHistogram.BucketOf(0.001)); // a bound is its own bucket's upper edge
    }

    [Fact]
    public void Usage_is_summed_per_feature_and_per_name_with_features_read_from_feature_rows()
    {
        UsageCount Row(string principal, string model, string service, string feature, long requests, long rows, long hits = 0,
            long misses = 0) => new(Minute, "p", "online-features", principal, model, service, feature, requests, rows, hits, misses, 0);
        var report = UsageReports.Usage("p", Minute, Minute.AddHours(1),
        [
            Row("alice", "", "", "", 2, 4), Row("alice", "", "", "v:a", 2, 4, 3, 1), Row("alice", "", "", "v:b", 2, 4, 4),
            Row("svc", "churn/2", "fs", "", 3, 3), Row("svc", "churn/2", "fs", "v:a", 3, 3, 3),
        ]);
        var totals = report.Totals;
        Assert.Equal(("total", 5L, 7L, 11L), (totals.Name, totals.Requests, totals.EntityRows, totals.FeaturesRead));
        var a = report.Features.Single(f => f.Feature == "v:a");
        Assert.Equal((5L, 7L, 6L, 1L, 0.857143), (a.Requests, a.EntityRows, a.Hits, a.Misses, a.HitRate!.Value)); // rounded to 6 places
        Assert.Equal(["svc", "alice"], report.Principals.Select(p => p.Name)); // most requests first
        Assert.Equal(8L, report.Principals.Single(p => p.Name == "alice").FeaturesRead);
        Assert.Equal(("churn/2", 3L), (report.Models.Single().Name, report.Models.Single().Requests)); // no model: not a group
        Assert.Equal("fs", report.FeatureServices.Single().Name);
    }

    [Fact]
    public void Metrics_points_split_the_period_by_step_and_add_up_to_the_total()
    {
        var latency = new List<LatencyCount>
        {
            new(Minute, "online-features", LatencyHistogram.BucketOf(0.0009), 10),
            new(Minute.AddMinutes(1), "online-features", LatencyHistogram.BucketOf(0.02), 10),
        };
        var metrics = UsageReports.Metrics("p", Minute, Minute.AddMinutes(2), TimeSpan.FromMinutes(1), latency, []);
        var online = metrics.Endpoints.Single();
        Assert.Equal(20, online.Total.Requests);
        Assert.Equal([10L, 10L], online.Points!.Select(p => p.Requests));
        Assert.True(online.Points![0].P99Ms < 1.001 && online.Points[1].P50Ms > 10);
        Assert.Null(online.Total.HitRate); // no online reads counted for the project
    }
}
