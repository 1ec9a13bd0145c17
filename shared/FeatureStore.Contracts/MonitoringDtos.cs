using FeatureStore.Domain;
using FeatureStore.Domain.Monitoring;

namespace FeatureStore.Contracts;

/// <summary>One view's freshness (<c>GET /api/v1/monitoring/data-freshness</c>): its last runs, the newest event time it holds
/// (from successful runs and catalogued pushes), that value's age, and the verdict of <see cref="DataFreshness"/>.</summary>
public sealed record ViewFreshnessDto(
    string View, int Version, bool Online, string Ttl, string? Freshness,
    DateTimeOffset? LastSuccessAt, DateTimeOffset? LastSuccessWindowEnd, DateTimeOffset? LastFailureAt,
    DateTimeOffset? NewestEventTime, double? AgeSeconds, double? AgeOverTtl, double? AgeOverObjective,
    FreshnessStatus Status, string Reason);

/// <summary>Every view's freshness in a project at <see cref="At"/>, with how many are in each status.</summary>
public sealed record DataFreshnessDto(string Project, DateTimeOffset At, int Ok, int Late, int Stale,
    IReadOnlyList<ViewFreshnessDto> Views);

/// <summary>One successful run in a statistics series.</summary>
public sealed record StatisticsRunDto(Guid JobId, int Version, DateTimeOffset FinishedAt, DateTimeOffset WindowStart,
    DateTimeOffset WindowEnd, long? RowsInWindow, long? InvalidRows);

/// <summary>A feature's statistics over one run (<see cref="Count"/> counts values, nulls apart), with its null rate (nulls over
/// rows) and the rule failures of that run.</summary>
public sealed record FeatureStatisticsPointDto(Guid JobId, DateTimeOffset FinishedAt, long Count, long Nulls, double? NullRate,
    double? Mean, double? StdDev, double? Min, double? Max, IReadOnlyDictionary<string, double>? Quantiles, long? Distinct,
    IReadOnlyDictionary<string, long> RuleFailures);

/// <summary>One feature's statistics per run, oldest first.</summary>
public sealed record FeatureStatisticsSeriesDto(string Feature, IReadOnlyList<FeatureStatisticsPointDto> Points);

/// <summary><c>GET /api/v1/monitoring/statistics</c>: a view's per-feature statistics per successful run in a period.</summary>
public sealed record StatisticsSeriesDto(string Project, string View, DateTimeOffset Start, DateTimeOffset End,
    IReadOnlyList<StatisticsRunDto> Runs, IReadOnlyList<FeatureStatisticsSeriesDto> Features);

/// <summary>Requests, entity rows and features read (entity rows × features) under one name: a feature service, a principal, a
/// model or an endpoint.</summary>
public sealed record UsageGroupDto(string Name, long Requests, long EntityRows, long FeaturesRead);

/// <summary>How often a feature was read, for how many entity rows, and what online reads found (historical reads have no
/// statuses).</summary>
public sealed record FeatureUsageDto(string Feature, long Requests, long EntityRows, long Hits, long Misses, long Stale, double? HitRate);

/// <summary><c>GET /api/v1/monitoring/usage</c>: a project's reads in [start, end), from every feature-api instance's per-minute
/// counts.</summary>
public sealed record UsageReportDto(string Project, DateTimeOffset Start, DateTimeOffset End, UsageGroupDto Totals,
    IReadOnlyList<FeatureUsageDto> Features, IReadOnlyList<UsageGroupDto> FeatureServices, IReadOnlyList<UsageGroupDto> Principals,
    IReadOnlyList<UsageGroupDto> Models, IReadOnlyList<UsageGroupDto> Endpoints);

/// <summary>An endpoint's serving over a period (or one step of it): requests, latency percentiles in milliseconds (from the
/// histogram's buckets), and what online reads of the project found.</summary>
public sealed record EndpointMetricsPointDto(DateTimeOffset Start, long Requests, double? P50Ms, double? P95Ms, double? P99Ms,
    double? HitRate, double? MissRate, double? StaleRate);

public sealed record EndpointMetricsDto(string Endpoint, EndpointMetricsPointDto Total, IReadOnlyList<EndpointMetricsPointDto>? Points);

/// <summary><c>GET /api/v1/monitoring/metrics</c>: per feature-api endpoint, latency and hit rates over [start, end).</summary>
public sealed record ServingMetricsDto(string Project, DateTimeOffset Start, DateTimeOffset End, string? Step,
    IReadOnlyList<EndpointMetricsDto> Endpoints);

/// <summary>A file of a feature service's log: which service version served its rows, and the logging times it spans.</summary>
public sealed record FeatureLogFileDto(string Path, int ServiceVersion, string Date, long RowCount, DateTimeOffset MinTime,
    DateTimeOffset MaxTime, long SizeBytes, DateTimeOffset WrittenAt, string ContentHash);

/// <summary><c>GET /api/v1/feature-services/{name}/logs</c>: a service's log files spanning [start, end).</summary>
public sealed record FeatureLogDto(string Project, string Service, DateTimeOffset Start, DateTimeOffset End, long Rows,
    IReadOnlyList<FeatureLogFileDto> Files);

/// <summary>One feature's drift between the reference and the current window: sizes, null rates, the scores its kind has
/// (numbers: PSI and KS; categories: Jensen–Shannon), the verdict (<c>ok</c>, <c>drift</c>, <c>insufficient</c>) and why, and
/// both sides' shares in the bins the scores compare (numbers: cut at the reference's deciles; categories: the most frequent).
/// </summary>
public sealed record FeatureDriftDto(string Feature, string Kind, long ReferenceCount, long CurrentCount, double? ReferenceNullRate,
    double? CurrentNullRate, double? Psi, double? KsStatistic, double? KsPValue, double? JensenShannon, string Verdict,
    IReadOnlyList<string> Reasons, IReadOnlyList<DriftBin>? Distribution = null);

/// <summary><c>GET /api/v1/monitoring/drift</c>: a feature service's features in [start, end) against a reference dataset.</summary>
public sealed record DriftReportDto(string Project, string FeatureService, string Reference, string Current, DateTimeOffset Start,
    DateTimeOffset End, IReadOnlyList<string> Drifted, IReadOnlyList<FeatureDriftDto> Features);

/// <summary><c>GET /api/v1/models/promoted</c> (registry): each model's promoted version in a project, as model-api announced it.
/// </summary>
public sealed record PromotedModelsDto(string Project, IReadOnlyList<FeatureStore.Domain.Monitoring.PromotedModel> Models);
