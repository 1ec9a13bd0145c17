namespace FeatureStore.Domain;

/// <summary>
/// One committed file of an offline table (a view history's, or a push source's log), as the registry catalogues it.
/// <see cref="Masks"/> are the event-time windows whose rows later commits replaced: readers skip them
/// (<see cref="OfflineVisibility.SqlKept"/>). <see cref="EventTies"/>: whether two rows its writer wrote in the same write (this
/// file and its siblings) may share keys and event time — false only when the writer checked that none do, null when it did not
/// check (<see cref="OfflineVisibility.EventTiesPossible"/>).
/// </summary>
public sealed record CataloguedFile(string Path, string Date, long RowCount, DateTimeOffset MinEventTime, DateTimeOffset MaxEventTime,
    string ContentHash,
    long SizeBytes, IReadOnlyList<TimeWindow>? Masks = null, bool? EventTies = null);

/// <summary>
/// A view version's offline history as one consistent snapshot: the history it reads (<see cref="History"/>, the version
/// that started it), the last commit included (<see cref="Sequence"/>), the files a reader reads with their masks, and the
/// event times the history covers (<see cref="Covered"/>, merged windows), and whether two of the rows it shows may share keys
/// and event time (<see cref="EventTies"/>, <see cref="OfflineVisibility.EventTiesPossible"/>: only then does a reader need the
/// created-time tie-break).
/// </summary>
public sealed record OfflineSnapshot(int History, long Sequence, IReadOnlyList<CataloguedFile> Files, IReadOnlyList<TimeWindow> Covered,
    bool EventTies = true);

/// <summary>
/// Read access to definitions and the offline catalog for the services that use them (pipeline-worker,
/// feature-api). Over HTTP from the registry when services run apart; straight from the registry
/// store when they share one process.
/// </summary>
public interface IDefinitionCatalog
{
    /// <summary>The given version, or the latest when <paramref name="version"/> is null; null when there is none (or it was
    /// deleted).</summary>
    Task<IRegistryDefinition?> FindAsync(string project, ObjectKind kind, string name, int? version, CancellationToken cancellationToken);

    /// <summary>The latest version of every live object of a kind.</summary>
    Task<IReadOnlyList<IRegistryDefinition>> ListAsync(string project, ObjectKind kind, CancellationToken cancellationToken);

    /// <summary>The project's revision now (0 when never applied), for readers that must see every apply made before they asked.</summary>
    Task<long> ProjectRevisionAsync(string project, CancellationToken cancellationToken);

    /// <summary>The offline history that version <paramref name="version"/> of a view reads, as of its latest commit (never staged
    /// files).</summary>
    Task<OfflineSnapshot> OfflineSnapshotAsync(string project, string view, int version, CancellationToken cancellationToken);

    /// <summary>A push source's log up to and including push <paramref name="upTo"/>, in push order (materializations read it
    /// again).</summary>
    Task<IReadOnlyList<CataloguedFile>> ListPushedFilesAsync(string project, string source, long upTo, CancellationToken cancellationToken);

    /// <summary>A feature service's log files spanning any time in [start, end) (their min/max event times: logging times).</summary>
    Task<IReadOnlyList<CataloguedFile>> ListFeatureLogFilesAsync(string project, string service, DateTimeOffset start, DateTimeOffset end,
        CancellationToken cancellationToken);

    /// <summary>Each model's promoted version in a project (the default drift reference of the services it uses).</summary>
    Task<IReadOnlyList<Monitoring.PromotedModel>> ListPromotedModelsAsync(string project, CancellationToken cancellationToken);
}

/// <summary>One view's files of a push: under the prefix of the history the view version writes.</summary>
public sealed record PushedViewFiles(string View, int Version, IReadOnlyList<CataloguedFile> Files);

/// <summary>
/// Catalogues a push (rows written outside a materialization job): its files in the push source's log and in each
/// view's history, all visible at once; recording the same push again changes nothing.
/// </summary>
public interface IOfflineCatalogWriter
{
    Task CommitPushAsync(string project, string source, Guid pushId, IReadOnlyList<CataloguedFile> logFiles,
        IReadOnlyList<PushedViewFiles> views,
        CancellationToken cancellationToken);
}

public static class DefinitionCatalogExtensions
{
    public static async Task<FeatureViewDefinition?> FindViewAsync(this IDefinitionCatalog catalog,
        string project, string name, int? version,
        CancellationToken cancellationToken) =>
        (FeatureViewDefinition?)await catalog.FindAsync(project, ObjectKind.FeatureView, name, version, cancellationToken);
}
