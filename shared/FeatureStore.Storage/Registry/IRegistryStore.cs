using FeatureStore.Domain;

namespace FeatureStore.Storage.Registry;

/// <summary>One stored version of a registry object; <see cref="Definition"/> is its JSON (<see cref="DefinitionJson"/>).</summary>
public sealed record StoredObject(ObjectKind Kind, string Name, int Version, bool Deleted, long Revision, DateTimeOffset CreatedAt, string Definition)
{
    public IRegistryDefinition Read() => DefinitionJson.Deserialize(Kind, Definition);
    public T Read<T>() where T : IRegistryDefinition => (T)Read();
}

/// <summary>
/// A project as one consistent snapshot: its revision (bumped by every apply that changes something),
/// the latest live version of each object, and the highest version ever used per object (deletions included).
/// </summary>
public sealed record ProjectState(
    string Project,
    long Revision,
    DateTimeOffset? UpdatedAt,
    IReadOnlyList<StoredObject> Objects,
    IReadOnlyDictionary<(ObjectKind Kind, string Name), int> HighestVersions)
{
    public StoredObject? Find(ObjectKind kind, string name) => Objects.FirstOrDefault(o => o.Kind == kind && o.Name == name);

    public int NextVersion(ObjectKind kind, string name) => HighestVersions.GetValueOrDefault((kind, name)) + 1;
}

/// <summary>A new version to store: a definition, or a deletion (tombstone) when <see cref="Definition"/> is null.</summary>
public sealed record ObjectWrite(ObjectKind Kind, string Name, int Version, string? Definition, DateTimeOffset CreatedAt);

/// <summary>A message to publish once the change is committed (transactional outbox).</summary>
public sealed record OutboxMessage(Guid Id, string MessageType, string Payload, DateTimeOffset CreatedAt);

public sealed record Changeset(IReadOnlyList<ObjectWrite> Writes, IReadOnlyList<OutboxMessage> Messages);

public sealed record ProjectSummary(string Project, long Revision, DateTimeOffset UpdatedAt, IReadOnlyDictionary<ObjectKind, int> LiveObjects);

public enum PartitionResult { Ignored, Recorded, JobSucceeded }

/// <summary>
/// An offline file of a view history (<see cref="History"/>: the version that started it, <see cref="ViewHistory"/>),
/// written by a job's partition or a push (<see cref="JobId"/>), with where it stands: staged (no commit sequence) or committed.
/// </summary>
public sealed record OfflineFileRecord(
    string Path, string Project, string View, int History, Guid JobId, int Partition, string Date, long RowCount,
    DateTimeOffset MinEventTime, DateTimeOffset MaxEventTime, string ContentHash, long SizeBytes,
    DateTimeOffset WindowStart, DateTimeOffset WindowEnd, long? CommitSequence);

public sealed record PartitionOutcome(
    long RowsRead, long RowsInWindow, long RowsWritten, long OnlineKeysWritten, long InvalidRows, TimeSpan Duration,
    DateTimeOffset FinishedAt, string? StatisticsJson, IReadOnlyList<OfflineFileRecord> Files, long OfflineRowsWritten = 0);

/// <summary>A file of a push source's log: pushed rows as they came, kept so views can be backfilled from them.</summary>
public sealed record PushedFileRecord(string Path, string Date, long RowCount, DateTimeOffset MinEventTime, DateTimeOffset MaxEventTime,
    string ContentHash, long SizeBytes, long Sequence);

/// <summary>
/// A push to record at once: its files in the push source's log (<see cref="LogFiles"/>) and in the history of each view
/// reading the source that keeps rows offline (<see cref="ViewFiles"/>, every file naming its view and history).
/// </summary>
public sealed record PushRecord(string Project, string Source, Guid PushId, DateTimeOffset PushedAt,
    IReadOnlyList<CataloguedFile> LogFiles, IReadOnlyList<OfflineFileRecord> ViewFiles);

public sealed class ActiveJobExistsException(Guid activeJob, Exception inner)
    : Exception($"job {activeJob} of this view is still pending or running", inner)
{
    public Guid ActiveJob { get; } = activeJob;
}

/// <summary>Definitions and their versions, the outbox of registry events, and materialization job records.</summary>
public interface IRegistryStore
{
    Task<ProjectState> LoadProjectAsync(string project, CancellationToken cancellationToken);

    /// <summary>The latest live version, or exactly <paramref name="version"/> (which may be a deletion).</summary>
    Task<StoredObject?> FindObjectAsync(string project, ObjectKind kind, string name, int? version, CancellationToken cancellationToken);

    /// <summary>The latest live version of every object of a kind (all kinds when null).</summary>
    Task<IReadOnlyList<StoredObject>> ListObjectsAsync(string project, ObjectKind? kind, CancellationToken cancellationToken);

    Task<IReadOnlyList<StoredObject>> ListVersionsAsync(string project, ObjectKind kind, string name, CancellationToken cancellationToken);

    /// <summary>Every version of each named object of a kind (in one pass, for many names), by name and version.</summary>
    Task<IReadOnlyList<StoredObject>> ListVersionsAsync(string project, ObjectKind kind, IReadOnlyCollection<string> names, CancellationToken cancellationToken);

    Task<IReadOnlyList<ProjectSummary>> ListProjectsAsync(CancellationToken cancellationToken);

    /// <summary>The project's revision (0 when it was never applied): every apply that changes something moves it on.</summary>
    Task<long> ProjectRevisionAsync(string project, CancellationToken cancellationToken);

    /// <summary>
    /// Runs <paramref name="decide"/> on the project's current state while holding the project's lock,
    /// then stores its changeset (new versions, the next revision, outbox messages) in the same
    /// transaction. Concurrent commits to a project run one after the other, never interleaved.
    /// A null changeset, or an exception from <paramref name="decide"/>, changes nothing.
    /// </summary>
    Task<(T Result, long Revision)> CommitAsync<T>(string project, Func<ProjectState, (Changeset? Changes, T Result)> decide,
        CancellationToken cancellationToken);

    Task<IReadOnlyList<OutboxMessage>> PendingMessagesAsync(int limit, CancellationToken cancellationToken);

    Task MarkSentAsync(IReadOnlyCollection<Guid> ids, DateTimeOffset sentAt, CancellationToken cancellationToken);

    /// <summary>Records a job and its partitions, pending. Throws <see cref="ActiveJobExistsException"/> when the view already has a pending or running job.</summary>
    Task CreateJobAsync(MaterializationJob job, CancellationToken cancellationToken);

    Task<MaterializationJob?> FindJobAsync(Guid id, CancellationToken cancellationToken);

    Task<IReadOnlyList<JobPartition>> ListPartitionsAsync(Guid id, CancellationToken cancellationToken);

    /// <summary>A view's jobs, newest first.</summary>
    Task<IReadOnlyList<MaterializationJob>> ListJobsAsync(string project, string view, int limit, CancellationToken cancellationToken);

    /// <summary>Where the last successful job of this view history ended: an incremental run starts there.</summary>
    Task<DateTimeOffset?> LastSucceededEndAsync(string project, string view, int history, CancellationToken cancellationToken);

    // Transitions only move forward (pending → running → succeeded | failed | cancelled), for partitions and jobs
    // alike, so a redelivered or late event changes nothing. Each returns whether it changed something.
    // A running partition may start again (its command was redelivered after a worker died): it records the new worker.
    Task<bool> MarkPartitionRunningAsync(Guid id, int partition, string? worker, DateTimeOffset at, CancellationToken cancellationToken);

    Task RecordProgressAsync(Guid id, int partition, long done, long total, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>
    /// Records a partition's success and stages its offline files (invisible). When it is the job's last partition, the
    /// job succeeds, with its partitions' statistics merged by <paramref name="mergeStatistics"/>, and — when it writes
    /// offline — all its files become visible together as the history's next commit, replacing its window
    /// (<see cref="OfflineVisibility"/>), in the same transaction.
    /// </summary>
    Task<PartitionResult> CompletePartitionAsync(Guid id, int partition, PartitionOutcome outcome, Func<IReadOnlyList<string>, string?> mergeStatistics,
        CancellationToken cancellationToken);

    /// <summary>Fails a partition, and with it the job.</summary>
    Task<bool> FailPartitionAsync(Guid id, int partition, string error, TimeSpan? duration, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>Fails a whole job (it could not even be handed to the workers).</summary>
    Task<bool> FailJobAsync(Guid id, string error, DateTimeOffset at, CancellationToken cancellationToken);

    Task<bool> CancelJobAsync(Guid id, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>
    /// Records a push in one transaction: its files join the push source's log as the next sequence number, and each
    /// view's files become the next commit of that view's history. Recording the same push again changes nothing.
    /// </summary>
    Task CommitPushAsync(PushRecord push, CancellationToken cancellationToken);

    /// <summary>The last sequence number of a push source's log (0 when nothing was pushed to it offline).</summary>
    Task<long> LastPushSequenceAsync(string project, string source, CancellationToken cancellationToken);

    /// <summary>The push source's log up to and including sequence <paramref name="upTo"/>, in push order.</summary>
    Task<IReadOnlyList<PushedFileRecord>> ListPushedFilesAsync(string project, string source, long upTo, CancellationToken cancellationToken);

    /// <summary>The commits of a view history, in order.</summary>
    Task<IReadOnlyList<OfflineCommit>> ListOfflineCommitsAsync(string project, string view, int history, CancellationToken cancellationToken);

    /// <summary>The commits of every history of the named views (in one pass, for many views), per view and history, in order.</summary>
    Task<IReadOnlyDictionary<(string View, int History), IReadOnlyList<OfflineCommit>>> ListOfflineCommitsAsync(string project,
        IReadOnlyCollection<string> views, CancellationToken cancellationToken);

    /// <summary>The offline files of a view history (or of all its histories), committed ones only unless <paramref name="includeStaged"/>.</summary>
    Task<IReadOnlyList<OfflineFileRecord>> ListOfflineFilesAsync(string project, string view, int? history, bool includeStaged, CancellationToken cancellationToken);

    Task<DateTimeOffset?> LastScheduleFireAsync(string project, string view, CancellationToken cancellationToken);

    /// <summary>Records that a schedule fired at <paramref name="fireTime"/>; false when another instance already did.</summary>
    Task<bool> TryRecordScheduleFireAsync(string project, string view, DateTimeOffset fireTime, CancellationToken cancellationToken);

    /// <summary>Records which feature-service versions a model version was trained on and serves from (again: nothing changes).</summary>
    Task RecordModelUsesAsync(IReadOnlyList<ModelUse> uses, CancellationToken cancellationToken);

    Task<IReadOnlyList<ModelUse>> ListModelUsesAsync(string project, CancellationToken cancellationToken);

    Task CheckAsync(CancellationToken cancellationToken);
}

/// <summary>A model version's use of a feature service: <see cref="Role"/> is <c>training</c> or <c>serving</c>.</summary>
public sealed record ModelUse(string Project, string Model, int Version, string FeatureService, int FeatureServiceVersion, string Role, DateTimeOffset TrainedAt);
