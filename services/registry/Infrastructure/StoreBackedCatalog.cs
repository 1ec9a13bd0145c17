using FeatureStore.Domain;
using FeatureStore.Storage.Registry;

namespace FeatureStore.Registry.Infrastructure;

/// <summary>Definitions straight from the registry store, for services sharing the registry's process.</summary>
public sealed class StoreBackedCatalog(IRegistryStore store) : IFeatureViewCatalog, IJobStatusLookup
{
    public async Task<JobStatus?> StatusAsync(Guid jobId, CancellationToken cancellationToken) =>
        (await store.FindJobAsync(jobId, cancellationToken))?.Status;

    public Task<FeatureViewDefinition?> FindAsync(string project, string name, int? version, CancellationToken cancellationToken) =>
        store.FindFeatureViewAsync(project, name, version, cancellationToken);
}
