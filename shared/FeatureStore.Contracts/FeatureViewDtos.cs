namespace FeatureStore.Contracts;

// HTTP DTOs of the registry's feature-view API. Types and durations travel as the text a user
// writes ("int64", "10d"); validators check them and FeatureViewMapping converts them.

public sealed class EntityDto
{
    public string? Name { get; set; }
    public string? JoinKey { get; set; }
    public string? Type { get; set; }
}

public sealed class BatchSourceDto
{
    public string? Path { get; set; }
    public string? TimestampField { get; set; }
    public string? CreatedTimestampField { get; set; }
}

public sealed class FeatureFieldDto
{
    public string? Name { get; set; }
    public string? Type { get; set; }
}

/// <summary>A feature view as applied by a user (request) and as the registry returns it (response).</summary>
public class FeatureViewDto
{
    public string? Project { get; set; }
    public string? Name { get; set; }
    public EntityDto? Entity { get; set; }
    public BatchSourceDto? Source { get; set; }
    public List<FeatureFieldDto>? Features { get; set; }
    public string? Ttl { get; set; }
}

public sealed class FeatureViewVersionDto : FeatureViewDto
{
    public int Version { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}
