using System.Text.Json;
using System.Text.Json.Serialization;
using FeatureStore.Domain.Security;

namespace FeatureStore.Contracts;

// The Feature Store 2.0 calls (docs/compatibility.md), in that design's snake_case: thin adapters over feature views, apply,
// materialization and serving. A feature set is a feature view; a feature is a field of its schema.

/// <summary><c>POST /api/v1/feature-sets</c>: a feature set (no features yet; <c>POST /api/v1/features</c> adds them).</summary>
public sealed class FeatureSetRequestDto : IProjectScoped
{
    public string? Project { get; set; }
    public string? Name { get; set; }
    public string? Description { get; set; }
    public string? Owner { get; set; }
    /// <summary>Entity names, or new entities: <c>{"name", "join_key", "value_type"}</c> (or <c>join_keys: [{name, type}]</c>).</summary>
    public List<JsonElement>? Entities { get; set; }
    /// <summary>A data source's name, or a new batch source: <c>{"name"?, "path", "timestamp_field", "created_timestamp_field"?,
    /// "schema"?}</c>.</summary>
    public JsonElement? Source { get; set; }
    public bool? Offline { get; set; }
    public bool? Online { get; set; }
    /// <summary>How long a value stays valid (<c>30d</c>); none: forever.</summary>
    public string? Ttl { get; set; }
    [JsonPropertyName("materialization_schedule")] public string? MaterializationSchedule { get; set; }
    public Dictionary<string, string>? Tags { get; set; }
}

/// <summary>A feature's validation rules in that design's words.</summary>
public sealed class FeatureRulesDto
{
    public double? Min { get; set; }
    public double? Max { get; set; }
    [JsonPropertyName("not_null")] public bool? NotNull { get; set; }
}

/// <summary><c>POST /api/v1/features</c>: one feature into a feature set, which becomes a new version of its feature view.</summary>
public sealed class FeatureRequestDto : IProjectScoped
{
    public string? Project { get; set; }
    [JsonPropertyName("feature_set_id")] public string? FeatureSetId { get; set; }
    public string? Name { get; set; }
    public string? Description { get; set; }
    [JsonPropertyName("data_type")] public string? DataType { get; set; }
    /// <summary>None: the source column of the feature's name. A SQL expression over the source's columns (text, or
    /// <c>{"type": "sql", "expression"}</c>), or <c>{"type": "aggregation", "function", "column", "window"}</c>.</summary>
    public JsonElement? Transformation { get; set; }
    [JsonPropertyName("validation_rules")] public FeatureRulesDto? ValidationRules { get; set; }
    [JsonPropertyName("default_value")] public JsonElement? DefaultValue { get; set; }
    [JsonPropertyName("allowed_values")] public List<JsonElement>? AllowedValues { get; set; }
    public Dictionary<string, string>? Tags { get; set; }
}

public sealed record FeatureSetFeatureDto(
    string Name,
    [property: JsonPropertyName("data_type")] string DataType,
    string? Description,
    JsonElement? Transformation,
    [property: JsonPropertyName("validation_rules")] FeatureRulesDto? ValidationRules,
    [property: JsonPropertyName("default_value")] JsonElement? DefaultValue,
    [property: JsonPropertyName("allowed_values")] IReadOnlyList<JsonElement>? AllowedValues);

/// <summary>A feature set: <c>draft</c> until its first feature, then <c>active</c> with the version of its feature view.</summary>
public sealed record FeatureSetDto(
    string Id,
    string Project,
    string Name,
    string? Description,
    string? Owner,
    IReadOnlyList<string> Entities,
    string Source,
    bool Offline,
    bool Online,
    string? Ttl,
    [property: JsonPropertyName("materialization_schedule")] string? MaterializationSchedule,
    IReadOnlyDictionary<string, string>? Tags,
    IReadOnlyList<FeatureSetFeatureDto> Features,
    string Status,
    [property: JsonPropertyName("feature_view_version")] int? FeatureViewVersion,
    [property: JsonPropertyName("created_at")] DateTimeOffset CreatedAt,
    [property: JsonPropertyName("updated_at")] DateTimeOffset UpdatedAt);

/// <summary>A feature added: its id (<c>set:feature</c>) and the feature view version it made.</summary>
public sealed record FeatureCreatedDto(
    string Id,
    [property: JsonPropertyName("feature_set_id")] string FeatureSetId,
    string Name,
    [property: JsonPropertyName("data_type")] string DataType,
    [property: JsonPropertyName("feature_view_version")] int FeatureViewVersion);

/// <summary>The answer of <c>POST /api/v1/feature-sets/{id}/materialize</c>: the job started, where to follow it.</summary>
public sealed record FeatureSetMaterializationDto(
    [property: JsonPropertyName("job_id")] Guid JobId,
    [property: JsonPropertyName("feature_set_id")] string FeatureSetId,
    string Status,
    [property: JsonPropertyName("start_date")] DateTimeOffset StartDate,
    [property: JsonPropertyName("end_date")] DateTimeOffset EndDate,
    string Location);

/// <summary><c>POST /api/v1/serving/online</c>: entity rows (<c>[{"customer_id": 1}]</c>) and features (<c>set:feature</c>) or a
/// feature service.</summary>
public sealed class ServingOnlineRequestDto : IProjectScoped, IFeatureReading
{
    public string? Project { get; set; }
    public List<Dictionary<string, JsonElement>>? Entities { get; set; }
    [SharedStrings("features")] public List<string>? Features { get; set; }
    [JsonPropertyName("feature_service")] public string? FeatureService { get; set; }
}

/// <summary><c>POST /api/v1/serving/historical</c>: the entity dataframe as <c>columns</c> and <c>data</c> rows.</summary>
public sealed class ServingHistoricalRequestDto : IProjectScoped, IFeatureReading
{
    public string? Project { get; set; }
    [JsonPropertyName("entity_df")] public EntityFrameDto? EntityDf { get; set; }
    public List<string>? Features { get; set; }
    [JsonPropertyName("feature_service")] public string? FeatureService { get; set; }
    /// <summary>The column holding each row's time; <c>event_timestamp</c> when absent.</summary>
    [JsonPropertyName("timestamp_column")] public string? TimestampColumn { get; set; }
}

public sealed class EntityFrameDto
{
    public List<string>? Columns { get; set; }
    public List<List<JsonElement>>? Data { get; set; }
}
