namespace FeatureStore.Contracts;

// MassTransit messages (docs/messages.md): commands are imperative, events past tense. A message type's
// full name is its identity on the wire, so these records stay in this namespace.

/// <summary>
/// Command to pipeline-worker: materialize one version of a view for a window (inclusive). A view over a push source
/// also reads the source's push log up to push <see cref="PushCut"/>.
/// </summary>
public sealed record MaterializeFeatureView(
    Guid JobId,
    string Project,
    string View,
    int Version,
    DateTimeOffset WindowStart,
    DateTimeOffset WindowEnd,
    bool Incremental = false,
    int PartitionIndex = 0,
    int PartitionCount = 1,
    long? PushCut = null);

// Events about one partition of a job (a job has PartitionCount partitions, by entity-key hash).

public sealed record MaterializationStarted(
    Guid JobId, string Project, string View, int Version, DateTimeOffset StartedAt,
    int PartitionIndex = 0, int PartitionCount = 1, string? Worker = null);

public sealed record MaterializationProgressed(
    Guid JobId, string Project, string View, int Version,
    long RowsDone, long RowsTotal, int PartitionIndex = 0, int PartitionCount = 1);

/// <summary>An offline feature-table file a partition wrote (visible once the whole job completes). <see cref="EventTies"/>: as
/// <see cref="CataloguedFile.EventTies"/> (null: not checked).</summary>
public sealed record OfflineFile(string Path, string Date, long RowCount, DateTimeOffset MinEventTime, DateTimeOffset MaxEventTime,
    string ContentHash, long SizeBytes, bool? EventTies = null);

/// <summary>Statistics of one feature over the rows a run produced. Quantiles and distinct counts are approximate.</summary>
public sealed record FeatureStatistics(long Count, long Nulls, double? Mean, double? StdDev, double? Min, double? Max,
    IReadOnlyDictionary<string, double>? Quantiles, long? Distinct);

/// <summary>A partition completed. <see cref="NewestEventTime"/>: the newest event time among the rows it computed in the window
/// (none when the window held no rows).</summary>
public sealed record MaterializationCompleted(
    Guid JobId, string Project, string View, int Version,
    DateTimeOffset WindowStart, DateTimeOffset WindowEnd,
    long RowsRead, long RowsWritten, long OnlineKeysWritten,
    IReadOnlyList<OfflineFile> OfflineFiles, TimeSpan Duration, DateTimeOffset CompletedAt,
    int PartitionIndex = 0, int PartitionCount = 1, long RowsInWindow = 0, long InvalidRows = 0,
    IReadOnlyDictionary<string, long>? RuleFailures = null, IReadOnlyDictionary<string, FeatureStatistics>? Statistics = null,
    DateTimeOffset? NewestEventTime = null);

public sealed record MaterializationFailed(
    Guid JobId, string Project, string View, int Version,
    string Reason, TimeSpan Duration, DateTimeOffset FailedAt, int PartitionIndex = 0, int PartitionCount = 1);

/// <summary>Event: a job was cancelled; workers running any of its partitions stop.</summary>
public sealed record MaterializationCancelled(Guid JobId, string Project, string View);

/// <summary>Event: a new version of a view exists; caches of its definition refresh.</summary>
public sealed record FeatureViewApplied(string Project, string View, int Version);

/// <summary>Event: a view was deleted (its tombstone is <see cref="Version"/>); caches drop it.</summary>
public sealed record FeatureViewDeleted(string Project, string View, int Version);

/// <summary>One object an apply changed: kind (<c>featureService</c>), name, action (create, update, delete) and new version.</summary>
public sealed record RegistryChange(string Kind, string Name, string Action, int Version);

/// <summary>Event: an apply changed a project; <see cref="Revision"/> is the project's new revision.</summary>
public sealed record RegistryChanged(string Project, long Revision, IReadOnlyList<RegistryChange> Changes);

/// <summary>
/// Event: a model version was trained: its metrics on held-out rows and the exact feature-service versions it
/// was trained on and serves from.
/// </summary>
public sealed record ModelTrained(string Model, int Version, Guid TrainingJob, string Algorithm, double Auc, double F1,
    string Project, string TrainingFeatureService, int TrainingFeatureServiceVersion,
    string ServingFeatureService, int ServingFeatureServiceVersion,
    string Artifact, DateTimeOffset TrainedAt);

/// <summary>
/// Event: feature-api found that the online store lost a project's data (its marker is gone, or was made again after the
/// data materializations wrote): reads answer NOT_FOUND until <c>POST /api/v1/materializations/restore-online</c> refills it.
/// Each feature-api instance that notices publishes it once per loss.
/// </summary>
public sealed record OnlineDataLost(string Project, string Reason, DateTimeOffset DetectedAt, DateTimeOffset LastWrittenAt);

/// <summary>An API key was revoked: every service drops it from its cache at once (within its cache time if this is lost).</summary>
public sealed record ApiKeyRevoked(string KeyId, DateTimeOffset RevokedAt);

/// <summary>Audit records a service made, in the order it made them, for the registry to append to the audit log.</summary>
public sealed record AuditRecordsWritten(IReadOnlyList<FeatureStore.Domain.Security.AuditRecord> Records);

/// <summary>
/// Command to pipeline-worker: rewrite the rows that commit <see cref="Base"/> of a view history shows of <see cref="Files"/>
/// (each with the windows that mask its rows) as files of about <see cref="RowsPerFile"/> rows (docs/semantics.md, compaction).
/// </summary>
public sealed record CompactOfflineHistory(Guid CompactionId, string Project, string View, int History, long Base, long RowsPerFile,
    IReadOnlyList<CompactionInput> Files);

/// <summary>A file a compaction rewrites: where it is, the event-time windows whose rows it no longer shows, and what its writer said
/// of ties (<see cref="FeatureStore.Domain.CataloguedFile.EventTies"/>).</summary>
public sealed record CompactionInput(string Path, IReadOnlyList<FeatureStore.Domain.TimeWindow> Masks, bool? EventTies = null);

/// <summary>A compaction's files are written (still invisible): the registry commits them and supersedes its inputs.</summary>
public sealed record OfflineHistoryCompacted(Guid CompactionId, string Project, string View, IReadOnlyList<OfflineFile> Files,
    long RowsRead, TimeSpan Duration);

/// <summary>A compaction could not be written; nothing of it is visible.</summary>
public sealed record OfflineCompactionFailed(Guid CompactionId, string Project, string View, string Reason);

/// <summary>Queue names that commands are sent to (events are published, not addressed).</summary>
public static class Queues
{
    public const string Materialize = "materialize-feature-view";
    public static Uri MaterializeAddress { get; } = new($"queue:{Materialize}");
    public const string Compact = "compact-offline-history";
    public static Uri CompactAddress { get; } = new($"queue:{Compact}");
    public const string CheckDrift = "check-feature-drift";
    public static Uri CheckDriftAddress { get; } = new($"queue:{CheckDrift}");
}
