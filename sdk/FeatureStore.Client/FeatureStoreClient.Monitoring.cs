using FeatureStore.Contracts;

namespace FeatureStore.Client;

/// <summary>Monitoring: how fresh each view's data is, its statistics per run, how serving went, what drifted.</summary>
public sealed partial class FeatureStoreClient
{
    /// <summary>Every live view's freshness in the project (or one view's): last runs, the newest event time held, its age
    /// against the TTL and the view's objective, and a status (ok, late, stale) with the reason.</summary>
    public Task<DataFreshnessDto> GetDataFreshnessAsync(string? project = null, string? view = null,
        CancellationToken cancellationToken = default) =>
        GetAsync<DataFreshnessDto>(Registry,
            WithProject(view is null ? "monitoring/data-freshness" : $"monitoring/data-freshness?view={Uri.EscapeDataString(view)}",
                project), cancellationToken);

    /// <summary>A view's per-feature statistics (count, nulls, mean, quantiles, rule failures) per successful run of the last
    /// <paramref name="days"/> days (default 7), oldest first; one feature only when <paramref name="feature"/> is given.</summary>
    public Task<StatisticsSeriesDto> GetStatisticsAsync(string view, string? feature = null, int? days = null, string? project = null,
        CancellationToken cancellationToken = default) =>
        GetAsync<StatisticsSeriesDto>(Registry,
            WithProject(Query("monitoring/statistics", ("view", view), ("feature", feature), ("days", days)), project), cancellationToken);

    /// <summary>Per feature-api endpoint, requests, latency percentiles and hit rates in [start, end) (default: the last hour), and
    /// one point per <paramref name="step"/> (a duration such as <c>5m</c>) when given.</summary>
    public Task<ServingMetricsDto> GetServingMetricsAsync(DateTimeOffset? start = null, DateTimeOffset? end = null, string? step = null,
        string? project = null, CancellationToken cancellationToken = default) =>
        GetAsync<ServingMetricsDto>(Registry,
            WithProject(Query("monitoring/metrics", ("start", start), ("end", end), ("step", step)), project), cancellationToken);

    /// <summary>What was read in [start, end) (default: the last hour): per feature, feature service, principal, model and
    /// endpoint.</summary>
    public Task<UsageReportDto> GetUsageAsync(DateTimeOffset? start = null, DateTimeOffset? end = null, string? project = null,
        CancellationToken cancellationToken = default) =>
        GetAsync<UsageReportDto>(Registry, WithProject(Query("monitoring/usage", ("start", start), ("end", end)), project),
            cancellationToken);

    /// <summary>How far each feature of <paramref name="featureService"/> served in [start, end) moved from a reference dataset (by
    /// default the service's own, else the promoted model's training set): scores, verdicts and both distributions.</summary>
    public Task<DriftReportDto> GetDriftAsync(string featureService, string? reference = null, DateTimeOffset? start = null,
        DateTimeOffset? end = null, string? project = null, CancellationToken cancellationToken = default) =>
        GetAsync<DriftReportDto>(FeatureApi, WithProject(Query("monitoring/drift", ("featureService", featureService),
            ("reference", reference), ("start", start), ("end", end)), project), cancellationToken);
}
