namespace FeatureStore.Domain;

/// <summary>How long the online store keeps a value: twice the view's TTL past its event time (so a stale
/// value is still reported as OUTSIDE_MAX_AGE for a while before it disappears); forever when TTL is 0.</summary>
public static class OnlineExpiry
{
    public static DateTimeOffset? For(RowTime time, TimeSpan ttl) =>
        ttl <= TimeSpan.Zero ? null : time.EventTime + ttl + ttl;
}
