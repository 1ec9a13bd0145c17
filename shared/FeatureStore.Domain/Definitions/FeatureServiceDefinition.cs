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
/// <summary>Feature logging of a service: the share of its online reads (0 to 1] whose served values are logged, as Parquet in the
/// offline store (<see cref="OfflineTables.LogKey"/>), for drift checks and as training data.</summary>
public sealed record FeatureLogging(double SampleRate);

public sealed record FeatureServiceDefinition(
    string Project,
    string Name,
    IReadOnlyList<string> Spec,
    IReadOnlyList<ServiceFeature> Features,
    ObjectMetadata Metadata,
    int Version = 0,
    FeatureLogging? Logging = null,
    Monitoring.DriftMonitoring? Drift = null) : IRegistryDefinition
{
    /// <summary>When this version was applied (stamped by the registry). A property, not a constructor parameter: a
    /// parameter's <c>= default</c> for a DateTimeOffset breaks the OpenAPI schema export.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    public ObjectKind Kind => ObjectKind.FeatureService;

    public IRegistryDefinition Stamped(int version, DateTimeOffset createdAt) => this with { Version = version, CreatedAt = createdAt };

    public IEnumerable<(ObjectKind Kind, string Name)> DependsOn() => Features.Select(f => (f.ViewKind, f.View)).Distinct();
}
