using FeatureStore.Domain;

namespace FeatureStore.Registry.Storage;

/// <summary>
/// An offline file of a view history (<see cref="History"/>: the version that started it, <see cref="ViewHistory"/>),
/// written by a job's partition, a push or a compaction (<see cref="JobId"/>), with where it stands: staged (no commit sequence),
/// committed, or also superseded by the compaction committed at <see cref="SupersededBy"/> (read only as of commits before it).
/// <see cref="EventTies"/>: as its writer said (<see cref="CataloguedFile.EventTies"/>).
/// </summary>
public sealed record OfflineFileRecord(
    string Path, string Project, string View, int History, Guid JobId, int Partition, string Date, long RowCount,
    DateTimeOffset MinEventTime, DateTimeOffset MaxEventTime, string ContentHash, long SizeBytes,
    DateTimeOffset WindowStart, DateTimeOffset WindowEnd, long? CommitSequence, long? SupersededBy = null, bool? EventTies = null);

/// <summary>A file of a push source's log: pushed rows as they came, kept so views can be backfilled from them.</summary>
public sealed record PushedFileRecord(string Path, string Date, long RowCount, DateTimeOffset MinEventTime, DateTimeOffset MaxEventTime,
    string ContentHash, long SizeBytes, long Sequence);

/// <summary>
/// A push to record at once: its files in the push source's log (<see cref="LogFiles"/>) and in the history of each view
/// reading the source that keeps rows offline (<see cref="ViewFiles"/>, every file naming its view and history).
/// </summary>
public sealed record PushRecord(string Project, string Source, Guid PushId, DateTimeOffset PushedAt,
    IReadOnlyList<CataloguedFile> LogFiles, IReadOnlyList<OfflineFileRecord> ViewFiles);

/// <summary>The offline store's catalog: each view history's files and commits, and each push source's log.</summary>
public interface IOfflineCatalog
{
    /// <summary>
    /// Records a push in one transaction: its files join the push source's log as the next sequence number, and each
    /// view's files become the next commit of that view's history. Recording the same push again changes nothing.
    /// </summary>
    Task CommitPushAsync(PushRecord push, CancellationToken cancellationToken);

    /// <summary>The last sequence number of a push source's log (0 when nothing was pushed to it offline).</summary>
    /// <summary>Per push source of a project, the newest event time of any row pushed to it and catalogued.</summary>
    Task<IReadOnlyDictionary<string, DateTimeOffset>> NewestPushedEventTimesAsync(string project, CancellationToken cancellationToken);

    Task<long> LastPushSequenceAsync(string project, string source, CancellationToken cancellationToken);

    /// <summary>The push source's log up to and including sequence <paramref name="upTo"/>, in push order.</summary>
    Task<IReadOnlyList<PushedFileRecord>> ListPushedFilesAsync(string project, string source, long upTo,
        CancellationToken cancellationToken);

    /// <summary>The commits of a view history, in order.</summary>
    Task<IReadOnlyList<OfflineCommit>> ListOfflineCommitsAsync(string project, string view, int history,
        CancellationToken cancellationToken);

    /// <summary>The commits of every history of the named views (in one pass, for many views), per view and history, in order.</summary>
    Task<IReadOnlyDictionary<(string View, int History), IReadOnlyList<OfflineCommit>>> ListOfflineCommitsAsync(string project,
        IReadOnlyCollection<string> views, CancellationToken cancellationToken);

    /// <summary>The offline files of a view history (or of all its histories), committed ones only unless
    /// <paramref name="includeStaged"/>.</summary>
    Task<IReadOnlyList<OfflineFileRecord>> ListOfflineFilesAsync(string project, string view, int? history, bool includeStaged,
        CancellationToken cancellationToken);
}
