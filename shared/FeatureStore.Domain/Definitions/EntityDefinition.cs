namespace FeatureStore.Domain;

public sealed record JoinKey(string Name, FeatureValueType Type);

/// <summary>A thing features describe (<c>customer</c>), identified by one or more join keys.</summary>
public sealed record EntityDefinition(
    string Project,
    string Name,
    IReadOnlyList<JoinKey> JoinKeys,
    ObjectMetadata Metadata,
    int Version = 0) : IRegistryDefinition
{
    /// <summary>When this version was applied (stamped by the registry). A property, not a constructor parameter: a
    /// parameter's <c>= default</c> for a DateTimeOffset breaks the OpenAPI schema export.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    public ObjectKind Kind => ObjectKind.Entity;

    public IRegistryDefinition Stamped(int version, DateTimeOffset createdAt) => this with { Version = version, CreatedAt = createdAt };

    public IEnumerable<(ObjectKind Kind, string Name)> DependsOn() => [];
}
