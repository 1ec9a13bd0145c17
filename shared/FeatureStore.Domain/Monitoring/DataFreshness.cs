namespace FeatureStore.Domain.Monitoring;

/// <summary>How fresh a view's served values are: <c>ok</c>, <c>late</c> (older than the view's freshness objective) or
/// <c>stale</c> (older than its TTL, so served as OUTSIDE_MAX_AGE — or nothing was ever materialized).</summary>
public enum FreshnessStatus { Ok, Late, Stale }

/// <summary>What is known of a view's freshness: its newest event time written (by a run or a push) and its last successful run.</summary>
public sealed record FreshnessFacts(DateTimeOffset? NewestEventTime, DateTimeOffset? LastSuccessAt);

/// <summary>A view's freshness at one moment: the age of its newest value, measured against its TTL and its objective.</summary>
public sealed record FreshnessVerdict(FreshnessStatus Status, TimeSpan? Age, double? AgeOverTtl, double? AgeOverObjective, string Reason);

/// <summary>
/// The one rule for data freshness. The age of a view is now − the newest event time it holds (what a read would serve at
/// best). Past the TTL (when the view has one) reads answer OUTSIDE_MAX_AGE: stale. Past the freshness objective: late.
/// A view nothing was ever written for is stale.
/// </summary>
public static class DataFreshness
{
    public static FreshnessVerdict Judge(FreshnessFacts facts, TimeSpan ttl, TimeSpan? objective, DateTimeOffset now)
    {
        if (facts.NewestEventTime is not { } newest)
            return new FreshnessVerdict(FreshnessStatus.Stale, null, null, null,
                facts.LastSuccessAt is null ? "never materialized" : "no rows materialized yet");
        var age = now - newest;
        if (age < TimeSpan.Zero) age = TimeSpan.Zero; // event times ahead of the clock count as new, not as negative age
        double? overTtl = ttl > TimeSpan.Zero ? age / ttl : null;
        double? overObjective = objective is { } o ? age / o : null;
        if (overTtl > 1)
            return new FreshnessVerdict(FreshnessStatus.Stale, age, overTtl, overObjective,
                $"newest value is {Durations.ToText(Whole(age))} old, past the TTL of {Durations.ToText(ttl)}");
        if (overObjective > 1)
            return new FreshnessVerdict(FreshnessStatus.Late, age, overTtl, overObjective,
                $"newest value is {Durations.ToText(Whole(age))} old, past the freshness objective of " +
                $"{Durations.ToText(objective!.Value)}");
        return new FreshnessVerdict(FreshnessStatus.Ok, age, overTtl, overObjective, "within TTL and objective");
    }

    /// <summary>Whole seconds: an age is told to people, not to the tick.</summary>
    private static TimeSpan Whole(TimeSpan age) => TimeSpan.FromSeconds(Math.Floor(age.TotalSeconds));

    /// <summary>The newest of two optional times.</summary>
    public static DateTimeOffset? Newest(DateTimeOffset? a, DateTimeOffset? b) => a is null ? b : b is null ? a : a > b ? a : b;
}
