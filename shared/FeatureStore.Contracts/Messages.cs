namespace FeatureStore.Contracts;

// MassTransit messages (DESIGN.md): commands are imperative, events past tense. A message type's
// full name is its identity on the wire, so these records stay in this namespace.

/// <summary>Command to pipeline-worker: materialize one version of a view for a window (inclusive).</summary>
public sealed record MaterializeFeatureView(
    Guid JobId,
    string Project,
    string View,
    int Version,
    DateTimeOffset WindowStart,
    DateTimeOffset WindowEnd,
    bool Incremental = false,
    int PartitionIndex = 0,
    int PartitionCount = 1);

public sealed record MaterializationStarted(
    Guid JobId, string Project, string View, int Version,
    DateTimeOffset WindowStart, DateTimeOffset WindowEnd, DateTimeOffset StartedAt);

public sealed record MaterializationProgressed(
    Guid JobId, string Project, string View, int Version,
    long RowsDone, long RowsTotal);

public sealed record MaterializationCompleted(
    Guid JobId, string Project, string View, int Version,
    DateTimeOffset WindowStart, DateTimeOffset WindowEnd,
    long RowsRead, long RowsWritten, long OnlineKeysWritten,
    IReadOnlyList<string> OfflineFiles, TimeSpan Duration, DateTimeOffset CompletedAt);

public sealed record MaterializationFailed(
    Guid JobId, string Project, string View, int Version,
    DateTimeOffset WindowStart, DateTimeOffset WindowEnd,
    string Reason, TimeSpan Duration, DateTimeOffset FailedAt);

/// <summary>Event: a new version of a view exists; caches of its definition refresh.</summary>
public sealed record FeatureViewApplied(string Project, string View, int Version);

/// <summary>Event: a view was deleted (its tombstone is <see cref="Version"/>); caches drop it.</summary>
public sealed record FeatureViewDeleted(string Project, string View, int Version);

/// <summary>One object an apply changed: kind (<c>featureService</c>), name, action (create, update, delete) and new version.</summary>
public sealed record RegistryChange(string Kind, string Name, string Action, int Version);

/// <summary>Event: an apply changed a project; <see cref="Revision"/> is the project's new revision.</summary>
public sealed record RegistryChanged(string Project, long Revision, IReadOnlyList<RegistryChange> Changes);

/// <summary>Queue names that commands are sent to (events are published, not addressed).</summary>
public static class Queues
{
    public const string Materialize = "materialize-feature-view";
    public static Uri MaterializeAddress { get; } = new($"queue:{Materialize}");
}
