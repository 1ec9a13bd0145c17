namespace FeatureStore.Domain;

public sealed record JoinKey(string Name, FeatureValueType Type);

/// <summary>A thing features describe (<c>customer</c>), identified by one or more join keys.</summary>
public sealed record EntityDefinition(
    string Project,
    string Name,
    IReadOnlyList<JoinKey> JoinKeys,
    ObjectMetadata Metadata,
    int Version = 0,
    DateTimeOffset CreatedAt = default) : IRegistryDefinition
{
    public ObjectKind Kind => ObjectKind.Entity;

    public IRegistryDefinition Stamped(int version, DateTimeOffset createdAt) => this with { Version = version, CreatedAt = createdAt };

    public IEnumerable<(ObjectKind Kind, string Name)> DependsOn() => [];
}
