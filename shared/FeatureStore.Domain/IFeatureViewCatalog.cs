namespace FeatureStore.Domain;

/// <summary>
/// Read access to feature-view definitions for the services that use them (pipeline-worker,
/// feature-api). Over HTTP from the registry when services run apart; straight from the
/// registry store when they share one process.
/// </summary>
public interface IFeatureViewCatalog
{
    /// <summary>The given version, or the latest when <paramref name="version"/> is null; null when there is none.</summary>
    Task<FeatureViewDefinition?> FindAsync(string project, string name, int? version, CancellationToken cancellationToken);
}
