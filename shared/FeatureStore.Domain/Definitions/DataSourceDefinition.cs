namespace FeatureStore.Domain;

public enum SourceKind
{
    /// <summary>A Parquet object (or dataset) in the object store.</summary>
    Batch,
    /// <summary>Rows pushed over the API, kept for history in its backing batch source.</summary>
    Push,
}

public sealed record SourceField(string Name, FeatureValueType Type);

/// <summary>
/// Where raw rows live. A push source is resolved against its batch source, so it carries the
/// batch source's path and timestamp fields itself.
/// </summary>
public sealed record DataSourceDefinition(
    string Project,
    string Name,
    SourceKind SourceKind,
    string Path,
    string TimestampField,
    string? CreatedTimestampField,
    string? BatchSource,
    IReadOnlyList<SourceField>? Schema,
    ObjectMetadata Metadata,
    int Version = 0) : IRegistryDefinition
{
    /// <summary>When this version was applied (stamped by the registry). A property, not a constructor parameter: a
    /// parameter's <c>= default</c> for a DateTimeOffset breaks the OpenAPI schema export.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    public ObjectKind Kind => ObjectKind.DataSource;

    public IRegistryDefinition Stamped(int version, DateTimeOffset createdAt) => this with { Version = version, CreatedAt = createdAt };

    public IEnumerable<(ObjectKind Kind, string Name)> DependsOn() =>
        BatchSource is null ? [] : [(ObjectKind.DataSource, BatchSource)];
}
