using FeatureStore.Domain;

namespace FeatureStore.Registry.Storage;

/// <summary>One stored version of a registry object; <see cref="Definition"/> is its JSON (<see cref="DefinitionJson"/>).</summary>
public sealed record StoredObject(ObjectKind Kind, string Name, int Version, bool Deleted, long Revision, DateTimeOffset CreatedAt,
    string Definition)
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

public sealed record Changeset(IReadOnlyList<ObjectWrite> Writes, IReadOnlyList<OutboxMessage> Messages);

public sealed record ProjectSummary(string Project, long Revision, DateTimeOffset UpdatedAt,
    IReadOnlyDictionary<ObjectKind, int> LiveObjects);

/// <summary>Definitions and their immutable versions, per project, changed only by whole commits.</summary>
public interface IDefinitionStore
{
    Task<ProjectState> LoadProjectAsync(string project, CancellationToken cancellationToken);

    /// <summary>The latest live version, or exactly <paramref name="version"/> (which may be a deletion).</summary>
    Task<StoredObject?> FindObjectAsync(string project, ObjectKind kind, string name, int? version, CancellationToken cancellationToken);

    /// <summary>The latest live version of every object of a kind (all kinds when null).</summary>
    Task<IReadOnlyList<StoredObject>> ListObjectsAsync(string project, ObjectKind? kind, CancellationToken cancellationToken);

    Task<IReadOnlyList<StoredObject>> ListVersionsAsync(string project, ObjectKind kind, string name, CancellationToken cancellationToken);

    /// <summary>Every version of each named object of a kind (in one pass, for many names), by name and version.</summary>
    Task<IReadOnlyList<StoredObject>> ListVersionsAsync(string project, ObjectKind kind, IReadOnlyCollection<string> names,
        CancellationToken cancellationToken);

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
}
