namespace FeatureStore.Domain;

/// <summary>Who owns an object and what it is for; searchable, but not part of what the object computes.</summary>
public sealed record ObjectMetadata
{
    public static readonly ObjectMetadata Empty = new(null, null, null);

    public ObjectMetadata(string? description, string? owner, IReadOnlyDictionary<string, string>? tags)
    {
        Description = string.IsNullOrWhiteSpace(description) ? null : description;
        Owner = string.IsNullOrWhiteSpace(owner) ? null : owner;
        // Sorted, so that the same tags always serialize the same way (change detection compares JSON).
        Tags = new SortedDictionary<string, string>(
            (IDictionary<string, string>?)tags?.ToDictionary() ?? new Dictionary<string, string>(), StringComparer.Ordinal);
    }

    public string? Description { get; }
    public string? Owner { get; }
    public IReadOnlyDictionary<string, string> Tags { get; }

    public bool HasTag(string key, string? value) => Tags.TryGetValue(key, out var actual) && (value is null || actual == value);
}

/// <summary>
/// One immutable version of a registry object. Definitions are resolved snapshots: a feature view
/// carries its entities' join keys and its source's location, so each version means one thing forever.
/// </summary>
public interface IRegistryDefinition
{
    ObjectKind Kind { get; }
    string Project { get; }
    string Name { get; }
    int Version { get; }
    DateTimeOffset CreatedAt { get; }
    ObjectMetadata Metadata { get; }

    /// <summary>The same definition stamped as a stored version.</summary>
    IRegistryDefinition Stamped(int version, DateTimeOffset createdAt);

    /// <summary>The objects this one is built from (its lineage one step up).</summary>
    IEnumerable<(ObjectKind Kind, string Name)> DependsOn();
}
