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
