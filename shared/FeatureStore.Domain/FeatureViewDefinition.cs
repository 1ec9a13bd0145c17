namespace FeatureStore.Domain;

/// <summary>An entity: the thing features describe, and the join key that identifies one.</summary>
public sealed record EntityDefinition(string Name, string JoinKey, FeatureValueType JoinKeyType);

/// <summary>A batch source: a Parquet object (or prefix) in the object store.</summary>
public sealed record BatchSource(string Path, string TimestampField, string? CreatedTimestampField = null);

public sealed record FeatureField(string Name, FeatureValueType Type);

/// <summary>One immutable version of a feature view.</summary>
public sealed record FeatureViewDefinition(
    string Project,
    string Name,
    int Version,
    EntityDefinition Entity,
    BatchSource Source,
    IReadOnlyList<FeatureField> Features,
    TimeSpan Ttl,
    DateTimeOffset CreatedAt)
{
    public FeatureField? FindFeature(string name) => Features.FirstOrDefault(f => f.Name == name);

    /// <summary>Whether two definitions describe the same thing (ignoring version and creation time).</summary>
    public bool SameDefinitionAs(FeatureViewDefinition other) =>
        Project == other.Project && Name == other.Name && Entity == other.Entity && Source == other.Source
        && Ttl == other.Ttl && Features.SequenceEqual(other.Features);
}
