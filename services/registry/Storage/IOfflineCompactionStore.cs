using FeatureStore.Api;
using FeatureStore.Domain;

namespace FeatureStore.Registry.Storage;

public enum CompactionStatus { Running, Succeeded, Failed }

/// <summary>
/// A compaction of a view history (docs/semantics.md, compaction): the files it rewrites (<see cref="Inputs"/>, as the history
/// showed them as of commit <see cref="Base"/>: <see cref="RowsIn"/> rows), asked for by <see cref="Trigger"/> (<c>manual</c> or
/// <c>automatic</c>), and how it ended: the commit that made its files visible, or why it failed.
/// </summary>
public sealed record OfflineCompaction(Guid Id, string Project, string View, int History, long Base, string Trigger,
    IReadOnlyList<string> Inputs, long RowsIn, DateTimeOffset RequestedAt, CompactionStatus Status = CompactionStatus.Running,
    DateTimeOffset? FinishedAt = null, long? CommitSequence = null, int? FilesOut = null, string? Error = null);

/// <summary>A history has a compaction running already: one at a time, so two never rewrite the same files.</summary>
public sealed class CompactionRunningException(string view, Guid running)
    : ConflictException([new FieldError("name",
        $"the offline history of feature view '{view}' is being compacted already (compaction {running}); wait for it")]);

public enum CompactionCommit { Committed, AlreadyFinished, InputsChanged }

/// <summary>The compactions of the offline histories and their commits (<see cref="OfflineVisibility"/> decides what they show).</summary>
public interface IOfflineCompactionStore
{
    /// <summary>
    /// Records a compaction, running. A compaction of the same history still running after <paramref name="abandonAfter"/> is
    /// failed as abandoned first; one running for less throws <see cref="CompactionRunningException"/>.
    /// </summary>
    Task StartCompactionAsync(OfflineCompaction compaction, TimeSpan abandonAfter, CancellationToken cancellationToken);

    /// <summary>
    /// In one transaction: the compaction's files become the history's next commit (kind compaction, its base recorded) and its
    /// inputs are superseded by it. When an input is no longer read (another compaction superseded it) nothing is committed and
    /// the compaction fails; a compaction that already ended changes nothing.
    /// </summary>
    Task<CompactionCommit> CommitCompactionAsync(Guid id, IReadOnlyList<OfflineFileRecord> files, DateTimeOffset at,
        CancellationToken cancellationToken);

    /// <summary>Fails a running compaction; false when it had ended already.</summary>
    Task<bool> FailCompactionAsync(Guid id, string error, DateTimeOffset at, CancellationToken cancellationToken);

    Task<OfflineCompaction?> FindCompactionAsync(Guid id, CancellationToken cancellationToken);

    /// <summary>A view's compactions, newest first.</summary>
    Task<IReadOnlyList<OfflineCompaction>> ListCompactionsAsync(string project, string view, int limit,
        CancellationToken cancellationToken);
}
