using System.Globalization;

namespace FeatureStore.Domain;

/// <summary>
/// The point-in-time rule of historical retrieval, for one entity row at time <c>ts</c> and one view:
/// candidates are the view's rows for the same keys with <c>event_ts &lt;= ts</c> and, when the TTL is
/// above zero, <c>event_ts &gt;= ts − TTL</c> (both bounds inclusive; a TTL of zero is unbounded); the
/// winner is the newest candidate by <see cref="RowTime"/>; no candidate means null features and the
/// entity row is kept. This is the reference form; <see cref="SqlCandidate"/> is its SQL twin, tested to agree.
/// <para>
/// Full ties (candidates equal in event and created time) are where the SQL of historical retrieval departs from
/// it: <see cref="Match"/> takes the later of them in source order (as <see cref="LatestPerEntity{TRow}"/> does,
/// and as the tests pin down), while the retrieval's join takes one of them, not necessarily the later
/// (<see cref="RowTime.SqlNewestAmongEventTies"/>; a known limit in the README).
/// </para>
/// </summary>
public static class PointInTime
{
    public static bool IsCandidate(DateTimeOffset eventTime, DateTimeOffset ts, TimeSpan ttl) =>
        eventTime <= ts && (ttl <= TimeSpan.Zero || eventTime >= ts - ttl);

    /// <summary>
    /// The event times a candidate of any entity row timed in [<paramref name="first"/>, <paramref name="last"/>] lies in
    /// (<see cref="DateTimeOffset.MinValue"/> onwards when the TTL is unbounded). Rows outside it can be left unread: the newest
    /// row at or before an entity row's time either lies inside, or is outside its TTL and gives null features either way.
    /// </summary>
    public static TimeWindow Reach(DateTimeOffset first, DateTimeOffset last, TimeSpan ttl) =>
        new(ttl <= TimeSpan.Zero || first - DateTimeOffset.MinValue <= ttl ? DateTimeOffset.MinValue : first - ttl, last);

    /// <summary>The winning row among one entity's rows (in source order), or <c>default</c> with <c>Found = false</c>.</summary>
    public static (bool Found, TRow? Row) Match<TRow>(IEnumerable<(RowTime Time, TRow Row)> rows, DateTimeOffset ts, TimeSpan ttl)
    {
        var found = false;
        RowTime best = default;
        TRow? winner = default;
        foreach (var (time, row) in rows)
        {
            if (!IsCandidate(time.EventTime, ts, ttl)) continue;
            // ">=": on a full tie the later row wins, as in LatestPerEntity.
            if (found && time < best) continue;
            (found, best, winner) = (true, time, row);
        }
        return (found, winner);
    }

    /// <summary>
    /// <see cref="IsCandidate"/> as a SQL condition over an event-time column and an entity-time column
    /// (both TIMESTAMPTZ).
    /// </summary>
    public static string SqlCandidate(string eventColumn, string tsColumn, TimeSpan ttl) =>
        ttl <= TimeSpan.Zero
            ? $"{eventColumn} <= {tsColumn}"
            : string.Create(CultureInfo.InvariantCulture,
                $"{eventColumn} <= {tsColumn} " +
                    $"AND {eventColumn} >= {tsColumn} - to_microseconds({ttl.Ticks / TimeSpan.TicksPerMicrosecond})");
}
