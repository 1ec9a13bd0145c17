using FeatureStore.Domain;
using FeatureStore.Domain.Monitoring;
using FeatureStore.Registry.Offline;
using FeatureStore.Registry.Storage;

namespace FeatureStore.Registry.Infrastructure;

/// <summary>Definitions and the offline catalog straight from the registry store, for services sharing the registry's process.</summary>
public sealed class StoreBackedCatalog(IDefinitionStore store, IJobStore jobs, IOfflineCatalog catalog, OfflineHistories histories,
    IFeatureLogStore logs, IModelUseStore models)
    : IDefinitionCatalog, IOfflineCatalogWriter, IJobStatusLookup, IOnlineHistory
{
    public Task<IReadOnlyList<OnlineProject>> OnlineProjectsAsync(CancellationToken cancellationToken) =>
        jobs.OnlineProjectsAsync(cancellationToken);

    public async Task<JobStatus?> StatusAsync(Guid jobId, CancellationToken cancellationToken) =>
        (await jobs.FindJobAsync(jobId, cancellationToken))?.Status;

    public async Task<IRegistryDefinition?> FindAsync(string project, ObjectKind kind, string name, int? version,
        CancellationToken cancellationToken) =>
        await store.FindObjectAsync(project, kind, name, version, cancellationToken) is { Deleted: false } stored
            ? stored.Read() : null;

    public async Task<IReadOnlyList<IRegistryDefinition>> ListAsync(string project, ObjectKind kind, CancellationToken cancellationToken) =>
        (await store.ListObjectsAsync(project, kind, cancellationToken)).Select(o => o.Read()).ToList();

    public Task<long> ProjectRevisionAsync(string project, CancellationToken cancellationToken) =>
        store.ProjectRevisionAsync(project, cancellationToken);

    public async Task<OfflineSnapshot> OfflineSnapshotAsync(string project, string view, int version, CancellationToken cancellationToken)
    {
        var definition = await histories.FindVersionAsync(project, view, version, cancellationToken)
                         ?? throw new InvalidOperationException(
                             $"version {version} of feature view '{view}' does not exist in project '{project}'");
        return await histories.SnapshotAsync(project, view, definition.HistoryVersion, null, cancellationToken);
    }

    public async Task<IReadOnlyList<CataloguedFile>> ListPushedFilesAsync(string project, string source, long upTo,
        CancellationToken cancellationToken) =>
        (await catalog.ListPushedFilesAsync(project, source, upTo, cancellationToken))
            .Select(f => new CataloguedFile(f.Path, f.Date, f.RowCount, f.MinEventTime, f.MaxEventTime, f.ContentHash, f.SizeBytes))
            .ToList();

    public async Task<IReadOnlyList<CataloguedFile>> ListFeatureLogFilesAsync(string project, string service, DateTimeOffset start,
        DateTimeOffset end, CancellationToken cancellationToken) =>
        (await logs.ListLogFilesAsync(project, service, start, end, cancellationToken))
            .Select(f => new CataloguedFile(f.Path, f.Date, f.RowCount, f.MinTime, f.MaxTime, f.ContentHash, f.SizeBytes)).ToList();

    public Task<IReadOnlyList<PromotedModel>> ListPromotedModelsAsync(string project, CancellationToken cancellationToken) =>
        models.ListPromotionsAsync(project, cancellationToken);

    public Task CommitPushAsync(string project, string source, Guid pushId, IReadOnlyList<CataloguedFile> logFiles,
        IReadOnlyList<PushedViewFiles> views,
        CancellationToken cancellationToken) =>
        histories.RecordPushAsync(project, source, pushId, logFiles, views, cancellationToken);
}
