namespace FeatureStore.Domain;

/// <summary>One feature of a service, resolved: whole views are expanded, pinned versions kept.</summary>
public sealed record ServiceFeature(ObjectKind ViewKind, string View, string Feature, FeatureValueType Type, int? PinnedVersion = null)
{
    public FeatureRef Ref => new(View, Feature, PinnedVersion);
}

/// <summary>
/// A named, versioned set of features used by one model. <see cref="Spec"/> is what the user wrote
/// (references and whole views); <see cref="Features"/> is what it resolved to when applied.
/// </summary>
public sealed record FeatureServiceDefinition(
    string Project,
    string Name,
    IReadOnlyList<string> Spec,
    IReadOnlyList<ServiceFeature> Features,
    ObjectMetadata Metadata,
    int Version = 0,
    DateTimeOffset CreatedAt = default) : IRegistryDefinition
{
    public ObjectKind Kind => ObjectKind.FeatureService;

    public IRegistryDefinition Stamped(int version, DateTimeOffset createdAt) => this with { Version = version, CreatedAt = createdAt };

    public IEnumerable<(ObjectKind Kind, string Name)> DependsOn() => Features.Select(f => (f.ViewKind, f.View)).Distinct();
}
