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

    /// <summary>Only a present value is handed to a caller; a stale one is reported, not used.</summary>
    public static bool CarriesValue(this FeatureStatus status) => status == FeatureStatus.Present;
}
