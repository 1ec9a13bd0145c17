namespace FeatureStore.Domain;

/// <summary>One committed file of a view's offline feature table, as the registry catalogues it.</summary>
public sealed record CataloguedFile(string Path, string Date, long RowCount, DateTimeOffset MinEventTime, DateTimeOffset MaxEventTime, string ContentHash, long SizeBytes);

/// <summary>
/// Read access to definitions and the offline catalog for the services that use them (pipeline-worker,
/// feature-api). Over HTTP from the registry when services run apart; straight from the registry
/// store when they share one process.
/// </summary>
public interface IDefinitionCatalog
{
    /// <summary>The given version, or the latest when <paramref name="version"/> is null; null when there is none (or it was deleted).</summary>
    Task<IRegistryDefinition?> FindAsync(string project, ObjectKind kind, string name, int? version, CancellationToken cancellationToken);

    /// <summary>The latest version of every live object of a kind.</summary>
    Task<IReadOnlyList<IRegistryDefinition>> ListAsync(string project, ObjectKind kind, CancellationToken cancellationToken);

    /// <summary>The committed files of one version of a view's offline table (never staged ones).</summary>
    Task<IReadOnlyList<CataloguedFile>> ListOfflineFilesAsync(string project, string view, int version, CancellationToken cancellationToken);
}

/// <summary>
/// Catalogues offline files written outside a materialization job (pushed rows) as the next commit of the
/// view version's table, all visible at once; recording the same push again changes nothing.
/// </summary>
public interface IOfflineCatalogWriter
{
    Task CommitPushAsync(string project, string view, int version, Guid pushId, IReadOnlyList<CataloguedFile> files, CancellationToken cancellationToken);
}

public static class DefinitionCatalogExtensions
{
    public static async Task<FeatureViewDefinition?> FindViewAsync(this IDefinitionCatalog catalog, string project, string name, int? version,
        CancellationToken cancellationToken) =>
        (FeatureViewDefinition?)await catalog.FindAsync(project, ObjectKind.FeatureView, name, version, cancellationToken);
}
