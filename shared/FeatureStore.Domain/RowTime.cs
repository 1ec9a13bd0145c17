using System.Globalization;

namespace FeatureStore.Domain;

/// <summary>
/// When a feature row happened (event time) and when it was written (created time, optional).
/// This is the one place that decides which of two rows for the same entity is newer:
/// the greater event time wins, then the greater created time; a missing created time is the oldest.
/// </summary>
public readonly record struct RowTime(DateTimeOffset EventTime, DateTimeOffset? CreatedTime = null) : IComparable<RowTime>
{
    public int CompareTo(RowTime other)
    {
        var byEvent = EventTime.UtcTicks.CompareTo(other.EventTime.UtcTicks);
        if (byEvent != 0) return byEvent;
        return (CreatedTime?.UtcTicks ?? -1).CompareTo(other.CreatedTime?.UtcTicks ?? -1);
    }

    public static bool operator >(RowTime a, RowTime b) => a.CompareTo(b) > 0;
    public static bool operator <(RowTime a, RowTime b) => a.CompareTo(b) < 0;
    public static bool operator >=(RowTime a, RowTime b) => a.CompareTo(b) >= 0;
    public static bool operator <=(RowTime a, RowTime b) => a.CompareTo(b) <= 0;

    /// <summary>
    /// The same order for a SQL engine (DuckDB), newest first: <c>ORDER BY</c> terms over the event-time
    /// column, the created-time column (missing is oldest) and, for full ties, the source row number
    /// (the later row wins, as in <see cref="LatestPerEntity{TRow}"/>).
    /// </summary>
    public static string SqlNewestFirst(string eventColumn, string? createdColumn, string? rowNumberColumn) =>
        string.Join(", ", new[] { $"{eventColumn} DESC", createdColumn is null ? null : $"{createdColumn} DESC NULLS LAST",
            rowNumberColumn is null ? null : $"{rowNumberColumn} DESC" }.OfType<string>());

    /// <summary>
    /// The same order as a SQL condition (DuckDB): the row of <paramref name="aEvent"/> / <paramref name="aCreated"/> is older
    /// than that of <paramref name="bEvent"/> / <paramref name="bCreated"/> (a missing created time is the oldest).
    /// </summary>
    public static string SqlOlder(string aEvent, string aCreated, string bEvent, string bCreated) =>
        $"({aEvent} < {bEvent} OR ({aEvent} = {bEvent} AND {SqlCreatedOrder(aCreated)} < {SqlCreatedOrder(bCreated)}))";

    /// <summary>
    /// The same order among rows that share an event time, as a DuckDB aggregate over them: the value of
    /// <paramref name="valueExpression"/> in the row with the greatest created time (a missing created time is the oldest).
    /// Rows equal in created time too are a full tie, and the aggregate takes one of them, not necessarily the later row.
    /// </summary>
    public static string SqlNewestAmongEventTies(string valueExpression, string createdColumn) =>
        $"arg_max({valueExpression}, {SqlCreatedOrder(createdColumn)})";

    /// <summary>
    /// The whole order as a DuckDB aggregate: the value of <paramref name="valueExpression"/> in the newest row by event time, then
    /// created time (none when <paramref name="createdColumn"/> is null; a missing one is the oldest). A full tie takes one of
    /// the tied rows, as <see cref="SqlNewestAmongEventTies"/> does.
    /// </summary>
    public static string SqlNewest(string valueExpression, string eventColumn, string? createdColumn) =>
        createdColumn is null ? $"arg_max({valueExpression}, {eventColumn})"
            : $"arg_max({valueExpression}, ({eventColumn}, {SqlCreatedOrder(createdColumn)}))";

    /// <summary>A created-time column (TIMESTAMPTZ) as a value that orders like the rule: a missing one below any real one
    /// (and not NULL, which comparisons and <c>arg_max</c> would pass over).</summary>
    private static string SqlCreatedOrder(string createdColumn) => $"coalesce({createdColumn}, TIMESTAMPTZ '-infinity')";

    /// <summary>Length of <see cref="ToSortableText"/>.</summary>
    public const int SortableTextLength = 39;

    /// <summary>
    /// A fixed-width text whose ordinal order is the order above, so that stores (a Redis script,
    /// a SQL comparison) can refuse an older write without knowing the rule themselves.
    /// </summary>
    public string ToSortableText()
    {
        // UTC ticks are never negative and fit in 19 digits; "no created time" sorts below any real one.
        var created = CreatedTime is { } c ? c.UtcTicks + 1 : 0;
        return string.Create(CultureInfo.InvariantCulture, $"{EventTime.UtcTicks:D19}.{created:D19}");
    }

    public static RowTime FromSortableText(ReadOnlySpan<char> text)
    {
        if (text.Length < SortableTextLength || text[19] != '.')
            throw new FormatException("not a sortable row time");
        var eventTicks = long.Parse(text[..19], NumberStyles.None, CultureInfo.InvariantCulture);
        var createdTicks = long.Parse(text[20..SortableTextLength], NumberStyles.None, CultureInfo.InvariantCulture);
        return new RowTime(
            new DateTimeOffset(eventTicks, TimeSpan.Zero),
            createdTicks == 0 ? null : new DateTimeOffset(createdTicks - 1, TimeSpan.Zero));
    }
}
