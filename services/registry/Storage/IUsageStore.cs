using FeatureStore.Contracts;

namespace FeatureStore.Registry.Storage;

/// <summary>Usage and latency per minute, as feature-api instances report them: each report adds to the totals.</summary>
public interface IUsageStore
{
    Task AddUsageAsync(IReadOnlyList<UsageCount> usage, IReadOnlyList<LatencyCount> latency, CancellationToken cancellationToken);

    /// <summary>A project's usage rows in [start, end).</summary>
    Task<IReadOnlyList<UsageCount>> FindUsageAsync(string project, DateTimeOffset start, DateTimeOffset end,
        CancellationToken cancellationToken);

    /// <summary>Latency bucket counts in [start, end), every endpoint.</summary>
    Task<IReadOnlyList<LatencyCount>> FindLatencyAsync(DateTimeOffset start, DateTimeOffset end, CancellationToken cancellationToken);
}
