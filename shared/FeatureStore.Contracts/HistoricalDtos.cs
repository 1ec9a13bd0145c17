using System.Text.Json;
using FeatureStore.Domain.Security;

namespace FeatureStore.Contracts;

/// <summary>
/// <c>POST /api/v1/historical-features</c> as JSON: entity rows (join keys, the entity timestamp, request fields
/// and any columns of the caller's own, such as labels) and either feature refs or a feature service.
/// CSV and Parquet entity dataframes are sent as the body instead, with these options in the query string.
/// </summary>
public sealed class HistoricalFeaturesRequestDto : IProjectScoped
{
    public string? Project { get; set; }
    public List<Dictionary<string, JsonElement>>? Entities { get; set; }
    public List<string>? Features { get; set; }
    public string? FeatureService { get; set; }
    public bool FullFeatureNames { get; set; }
    /// <summary>The entity dataframe's time column; <c>event_timestamp</c> unless named.</summary>
    public string? TimestampField { get; set; }
    /// <summary>Also save the result as this named dataset in the offline store.</summary>
    public string? SaveAs { get; set; }
    /// <summary>
    /// Answer even where a view's offline history does not cover what the entity rows need (nulls there), listing the gaps;
    /// otherwise such a request is a 409. With it, a JSON answer is <c>{"gaps": [...], "rows": [...]}</c>.
    /// </summary>
    public bool AllowGaps { get; set; }
}

/// <summary>Where a view's offline history (named by the version that started it) does not cover what the entity rows needed.</summary>
public sealed record HistoricalGapDto(string View, int Version, int History, IReadOnlyList<FeatureStore.Domain.TimeWindow> Covered,
    IReadOnlyList<FeatureStore.Domain.TimeWindow> Gaps);
