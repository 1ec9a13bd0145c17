using System.Globalization;

namespace FeatureStore.Domain;

/// <summary>
/// Which event times an offline history covers, and what a point-in-time retrieval still needs (docs/semantics.md,
/// history). Everything is at the offline store's precision, the microsecond, and every window is inclusive,
/// so two windows with no microsecond between them are one, and a gap is an inclusive window too.
/// <para>
/// What an entity row at <c>ts</c> needs of a view is where its candidates may lie (<see cref="PointInTime"/>):
/// <c>[ts − TTL, ts]</c>; with a TTL of zero (unbounded), everything from the history's first covered instant
/// up to <c>ts</c> (a row older than the history needs only its own instant: nothing older is asked of a history
/// that never began earlier).
/// </para>
/// </summary>
public static class Coverage
{
    private const long TicksPerMicrosecond = TimeSpan.TicksPerMicrosecond;

    /// <summary>A time truncated to the microsecond, as the offline store keeps it.</summary>
    public static DateTimeOffset Truncate(DateTimeOffset time) => new(time.UtcTicks - time.UtcTicks % TicksPerMicrosecond, TimeSpan.Zero);

    /// <summary>Windows sorted and merged: overlapping or adjacent windows become one.</summary>
    public static IReadOnlyList<TimeWindow> Merge(IEnumerable<TimeWindow> windows)
    {
        var merged = new List<TimeWindow>();
        foreach (var window in windows.Select(w => new TimeWindow(Truncate(w.Start), Truncate(w.End)))
            .Where(w => w.End >= w.Start).OrderBy(w => w.Start))
        {
            if (merged.Count > 0 && window.Start.UtcTicks <= merged[^1].End.UtcTicks + TicksPerMicrosecond)
            {
                if (window.End > merged[^1].End) merged[^1] = merged[^1] with { End = window.End };
            }
            else merged.Add(window);
        }
        return merged;
    }

    /// <summary>What merged <paramref name="covered"/> windows leave out, from the first representable instant to the last.</summary>
    public static IReadOnlyList<TimeWindow> Holes(IReadOnlyList<TimeWindow> covered)
    {
        var holes = new List<TimeWindow>();
        var from = DateTimeOffset.MinValue;
        foreach (var window in covered)
        {
            if (window.Start > from) holes.Add(new TimeWindow(from, window.Start.AddTicks(-TicksPerMicrosecond)));
            from = window.End.AddTicks(TicksPerMicrosecond);
        }
        holes.Add(new TimeWindow(from, DateTimeOffset.MaxValue));
        return holes;
    }

    /// <summary>Where the needs of an entity row at <paramref name="ts"/> begin (see the class remarks).</summary>
    public static DateTimeOffset NeedStart(DateTimeOffset ts, TimeSpan ttl, DateTimeOffset? historyStart) =>
        ttl > TimeSpan.Zero ? (ts.UtcTicks > ttl.Ticks ? Truncate(ts) - ttl : DateTimeOffset.MinValue)
            : historyStart is { } start && start < ts ? start : Truncate(ts);

    /// <summary>
    /// The reference form: per hole of the coverage that some entity row needs, the stretch of it they need (from the
    /// earliest need inside it to the latest entity time inside it). <see cref="SqlGapBounds"/> is its SQL twin.
    /// </summary>
    public static IReadOnlyList<TimeWindow> Gaps(IReadOnlyList<TimeWindow> covered, IEnumerable<DateTimeOffset> entityTimes, TimeSpan ttl)
    {
        var times = entityTimes.Select(Truncate).ToList();
        var historyStart = covered.Count > 0 ? covered[0].Start : (DateTimeOffset?)null;
        var gaps = new List<TimeWindow>();
        foreach (var hole in Holes(covered))
        {
            var relevant = times.Where(ts => ts >= hole.Start && NeedStart(ts, ttl, historyStart) <= hole.End).ToList();
            if (relevant.Count > 0) gaps.Add(Clip(hole, NeedStart(relevant.Min(), ttl, historyStart), relevant.Max()));
        }
        return gaps;
    }

    /// <summary>
    /// <see cref="Gaps"/> over a SQL table: two expressions per hole (the least and the greatest entity time that needs it),
    /// to select from the entity rows' TIMESTAMPTZ column <paramref name="tsColumn"/>; <see cref="GapsFrom"/> reads them back.
    /// </summary>
    public static IEnumerable<string> SqlGapBounds(IReadOnlyList<TimeWindow> holes, IReadOnlyList<TimeWindow> covered,
        string tsColumn, TimeSpan ttl)
    {
        var needStart = ttl > TimeSpan.Zero
            ? string.Create(CultureInfo.InvariantCulture, $"({tsColumn} - to_microseconds({ttl.Ticks / TicksPerMicrosecond}))")
            : covered.Count > 0 ? $"least({tsColumn}, {DuckDbTypes.Timestamp(covered[0].Start)})" : tsColumn;
        foreach (var hole in holes)
        {
            var conditions = new List<string>();
            if (hole.Start != DateTimeOffset.MinValue) conditions.Add($"{tsColumn} >= {DuckDbTypes.Timestamp(hole.Start)}");
            if (hole.End != DateTimeOffset.MaxValue) conditions.Add($"{needStart} <= {DuckDbTypes.Timestamp(hole.End)}");
            var filter = conditions.Count == 0 ? "" : $" FILTER (WHERE {string.Join(" AND ", conditions)})";
            yield return $"min({tsColumn}){filter}";
            yield return $"max({tsColumn}){filter}";
        }
    }

    /// <summary>The gaps from the bounds <see cref="SqlGapBounds"/> selected (null where no entity row needs the hole).</summary>
    public static IReadOnlyList<TimeWindow> GapsFrom(IReadOnlyList<TimeWindow> holes, IReadOnlyList<TimeWindow> covered,
        IReadOnlyList<(DateTimeOffset? Least, DateTimeOffset? Greatest)> bounds, TimeSpan ttl)
    {
        var historyStart = covered.Count > 0 ? covered[0].Start : (DateTimeOffset?)null;
        var gaps = new List<TimeWindow>();
        for (var i = 0; i < holes.Count; i++)
            if (bounds[i] is ({ } least, { } greatest))
                gaps.Add(Clip(holes[i], NeedStart(least, ttl, historyStart), Truncate(greatest)));
        return gaps;
    }

    private static TimeWindow Clip(TimeWindow hole, DateTimeOffset from, DateTimeOffset to) =>
        new(from > hole.Start ? from : hole.Start, to < hole.End ? to : hole.End);

    /// <summary>A window as people read it, in ISO-8601 UTC: <c>[start, end]</c>.</summary>
    public static string Describe(TimeWindow window) =>
        $"[{WireTime.Text(window.Start)}, {WireTime.Text(window.End)}]";
}
