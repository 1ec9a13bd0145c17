using System.Text.Json;
using System.Text.Json.Serialization;
using FeatureStore.Domain;
using FeatureStore.Domain.Security;

namespace FeatureStore.Contracts;

/// <summary>
/// <c>POST /api/v1/online-features</c>: entity columns (<c>{"customer_id": [1, 2]}</c>, with request fields of
/// on-demand views beside the join keys) and either feature refs or a feature service.
/// </summary>
public sealed class OnlineFeaturesRequestDto : IProjectScoped, IFeatureReading
{
    public string? Project { get; set; }
    public Dictionary<string, List<JsonElement>>? Entities { get; set; }
    [SharedStrings("features")] public List<string>? Features { get; set; }
    public string? FeatureService { get; set; }
    public bool FullFeatureNames { get; set; }
}

/// <summary>One entity row of the answer: per output feature name, its value, status and event time.</summary>
public sealed record OnlineFeatureRowDto(
    IReadOnlyDictionary<string, JsonElement> Entity,
    IReadOnlyDictionary<string, JsonElement?> Values,
    IReadOnlyDictionary<string, FeatureStatus> Statuses,
    IReadOnlyDictionary<string, DateTimeOffset?> EventTimestamps);

/// <summary>An online answer; <see cref="Withheld"/>, when a service read for a caller (<see cref="FeatureStoreHeaders.OnBehalfOf"/>):
/// the features that caller may not see.</summary>
public sealed record OnlineFeaturesResponseDto(IReadOnlyList<string> FeatureNames, IReadOnlyList<OnlineFeatureRowDto> Results,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<string>? Withheld = null);
