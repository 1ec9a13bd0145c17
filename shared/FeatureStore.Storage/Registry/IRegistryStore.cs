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

public sealed record JobOutcome(long RowsRead, long RowsWritten, long OnlineKeysWritten, TimeSpan Duration, DateTimeOffset FinishedAt);

/// <summary>Definitions and their versions, the outbox of registry events, and materialization job records.</summary>
public interface IRegistryStore
{
    Task<ProjectState> LoadProjectAsync(string project, CancellationToken cancellationToken);

    /// <summary>The latest live version, or exactly <paramref name="version"/> (which may be a deletion).</summary>
    Task<StoredObject?> FindObjectAsync(string project, ObjectKind kind, string name, int? version, CancellationToken cancellationToken);

    /// <summary>The latest live version of every object of a kind (all kinds when null).</summary>
    Task<IReadOnlyList<StoredObject>> ListObjectsAsync(string project, ObjectKind? kind, CancellationToken cancellationToken);

    Task<IReadOnlyList<StoredObject>> ListVersionsAsync(string project, ObjectKind kind, string name, CancellationToken cancellationToken);

    Task<IReadOnlyList<ProjectSummary>> ListProjectsAsync(CancellationToken cancellationToken);

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

    Task CreateJobAsync(MaterializationJob job, CancellationToken cancellationToken);

    Task<MaterializationJob?> FindJobAsync(Guid id, CancellationToken cancellationToken);

    /// <summary>A view's jobs, newest first.</summary>
    Task<IReadOnlyList<MaterializationJob>> ListJobsAsync(string project, string view, int limit, CancellationToken cancellationToken);

    // Job transitions only move forward (pending → running → succeeded | failed), so a redelivered
    // event changes nothing twice. Each returns whether it changed the job.
    Task<bool> MarkJobRunningAsync(Guid id, DateTimeOffset startedAt, CancellationToken cancellationToken);

    Task<bool> MarkJobSucceededAsync(Guid id, JobOutcome outcome, CancellationToken cancellationToken);

    Task<bool> MarkJobFailedAsync(Guid id, string error, TimeSpan? duration, DateTimeOffset finishedAt, CancellationToken cancellationToken);

    Task CheckAsync(CancellationToken cancellationToken);
}
