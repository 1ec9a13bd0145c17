using System.Text.Json;
using System.Text.Json.Serialization;
using FeatureStore.Domain;
using FeatureStore.Domain.Security;

namespace FeatureStore.Contracts;

/// <summary>
/// Feast feature server's <c>POST /get-online-features</c> request, field for field, so Feast HTTP
/// clients work unchanged: <c>{"entities": {"driver_id": [1001]}, "features": ["fv:f"]}</c> or
/// <c>"feature_service": "name"</c>, with <c>"full_feature_names"</c>.
/// </summary>
public sealed class FeastOnlineRequestDto : IProjectScoped, IFeatureReading
{
    [JsonPropertyName("project")] public string? Project { get; set; }
    [JsonPropertyName("entities")] public Dictionary<string, List<JsonElement>>? Entities { get; set; }
    [JsonPropertyName("features"), SharedStrings("features")] public List<string>? Features { get; set; }
    [JsonPropertyName("feature_service")] public string? FeatureService { get; set; }
    [JsonPropertyName("full_feature_names")] public bool FullFeatureNames { get; set; }
}

/// <summary>Feast's column-major answer: one result per column (entity columns as sent: join keys and request fields; then features), rows
/// in request order.</summary>
public sealed record FeastOnlineResponseDto(
    [property: JsonPropertyName("metadata")] FeastMetadataDto Metadata,
    [property: JsonPropertyName("results")] IReadOnlyList<FeastColumnDto> Results);

public sealed record FeastMetadataDto([property: JsonPropertyName("feature_names")] IReadOnlyList<string> FeatureNames);

public sealed record FeastColumnDto(
    [property: JsonPropertyName("values")] IReadOnlyList<JsonElement?> Values,
    [property: JsonPropertyName("statuses")] IReadOnlyList<FeatureStatus> Statuses,
    [property: JsonPropertyName("event_timestamps")] IReadOnlyList<string> EventTimestamps);
