namespace FeatureStore.Domain;

/// <summary>A window of event times; both ends are inclusive (docs/semantics.md, materialization).</summary>
public readonly record struct TimeWindow(DateTimeOffset Start, DateTimeOffset End)
{
    public bool Contains(DateTimeOffset time) => time >= Start && time <= End;

    /// <summary>Whether some instant of [<paramref name="min"/>, <paramref name="max"/>] lies in the window.</summary>
    public bool Overlaps(DateTimeOffset min, DateTimeOffset max) => Start <= max && End >= min;
}
