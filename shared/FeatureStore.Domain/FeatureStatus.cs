using System.Text.Json;
using System.Text.Json.Serialization;

namespace FeatureStore.Domain;

/// <summary>What an online read found for one feature of one entity (Feast's statuses).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<FeatureStatus>))]
public enum FeatureStatus
{
    [JsonStringEnumMemberName("PRESENT")] Present,
    [JsonStringEnumMemberName("NULL_VALUE")] NullValue,
    [JsonStringEnumMemberName("NOT_FOUND")] NotFound,
    [JsonStringEnumMemberName("OUTSIDE_MAX_AGE")] OutsideMaxAge,
}

public static class FeatureStatuses
{
    /// <summary>
    /// The status of a value read from the online store. A value older than the TTL is
    /// OUTSIDE_MAX_AGE (strictly: now − event time &gt; TTL); TTL zero never expires.
    /// </summary>
    public static FeatureStatus Classify(bool found, bool isNull, DateTimeOffset eventTime, TimeSpan ttl, DateTimeOffset now)
    {
        if (!found) return FeatureStatus.NotFound;
        if (ttl > TimeSpan.Zero && now - eventTime > ttl) return FeatureStatus.OutsideMaxAge;
        return isNull ? FeatureStatus.NullValue : FeatureStatus.Present;
    }

    /// <summary>The status's wire name (<c>PRESENT</c>, …: its JSON converter's), without allocating.</summary>
    public static string WireName(this FeatureStatus status) => WireNames[(int)status];

    private static readonly string[] WireNames = Enum.GetValues<FeatureStatus>()
        .Select(s => JsonSerializer.Serialize(s).Trim('"')).ToArray();

    /// <summary>Only a present value is handed to a caller; a stale one is reported, not used.</summary>
    public static bool CarriesValue(this FeatureStatus status) => status == FeatureStatus.Present;

    /// <summary>
    /// Of two inputs of an on-demand feature, the status that speaks for both: the worse one wins, stale
    /// (OUTSIDE_MAX_AGE) over missing (NOT_FOUND) over a value that was read (PRESENT or NULL_VALUE, which rank alike).
    /// </summary>
    public static FeatureStatus WorseInput(FeatureStatus current, FeatureStatus input) =>
        InputRank(input) > InputRank(current) ? input : current;

    /// <summary>
    /// The status of an on-demand feature whose inputs' worst status (<see cref="WorseInput"/>) is <paramref name="worstInput"/>:
    /// a missing or stale input is reported as the feature's own status (its value is withheld, as it would be null offline);
    /// otherwise the computed value's, PRESENT or NULL_VALUE.
    /// </summary>
    public static FeatureStatus OnDemand(FeatureStatus worstInput, bool valueIsNull) =>
        InputRank(worstInput) > 0 ? worstInput : valueIsNull ? FeatureStatus.NullValue : FeatureStatus.Present;

    private static int InputRank(FeatureStatus status) => status switch
    {
        FeatureStatus.OutsideMaxAge => 2,
        FeatureStatus.NotFound => 1,
        _ => 0,
    };
}
