using FeatureStore.Domain;
using FeatureStore.Storage.Registry;

namespace FeatureStore.Registry.Infrastructure;

/// <summary>Definitions straight from the registry store, for services sharing the registry's process.</summary>
public sealed class StoreBackedCatalog(IRegistryStore store) : IDefinitionCatalog, IOfflineCatalogWriter, IJobStatusLookup
{
    public async Task<JobStatus?> StatusAsync(Guid jobId, CancellationToken cancellationToken) =>
        (await store.FindJobAsync(jobId, cancellationToken))?.Status;

    public async Task<IRegistryDefinition?> FindAsync(string project, ObjectKind kind, string name, int? version, CancellationToken cancellationToken) =>
        await store.FindObjectAsync(project, kind, name, version, cancellationToken) is { Deleted: false } stored
            ? stored.Read() : null;

    public async Task<IReadOnlyList<IRegistryDefinition>> ListAsync(string project, ObjectKind kind, CancellationToken cancellationToken) =>
        (await store.ListObjectsAsync(project, kind, cancellationToken)).Select(o => o.Read()).ToList();

    public async Task<IReadOnlyList<CataloguedFile>> ListOfflineFilesAsync(string project, string view, int version, CancellationToken cancellationToken) =>
        (await store.ListOfflineFilesAsync(project, view, version, includeStaged: false, cancellationToken))
            .Select(f => new CataloguedFile(f.Path, f.Date, f.RowCount, f.MinEventTime, f.MaxEventTime, f.ContentHash, f.SizeBytes)).ToList();

    public Task CommitPushAsync(string project, string view, int version, Guid pushId, IReadOnlyList<CataloguedFile> files, CancellationToken cancellationToken) =>
        store.CommitOfflineFilesAsync(files.Select(f => new OfflineFileRecord(f.Path, project, view, version, pushId, 0, f.Date, f.RowCount,
            f.MinEventTime, f.MaxEventTime, f.ContentHash, f.SizeBytes, files.Min(m => m.MinEventTime), files.Max(m => m.MaxEventTime), null)).ToList(),
            cancellationToken);
}
