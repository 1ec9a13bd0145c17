using FeatureStore.Contracts;

namespace FeatureStore.Client;

/// <summary>Monitoring: how fresh each view's data is.</summary>
public sealed partial class FeatureStoreClient
{
    /// <summary>Every live view's freshness in the project (or one view's): last runs, the newest event time held, its age
    /// against the TTL and the view's objective, and a status (ok, late, stale) with the reason.</summary>
    public Task<DataFreshnessDto> GetDataFreshnessAsync(string? project = null, string? view = null,
        CancellationToken cancellationToken = default) =>
        GetAsync<DataFreshnessDto>(Registry,
            WithProject(view is null ? "monitoring/data-freshness" : $"monitoring/data-freshness?view={Uri.EscapeDataString(view)}",
                project), cancellationToken);
}
