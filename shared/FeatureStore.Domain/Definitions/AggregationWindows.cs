using System.Globalization;

namespace FeatureStore.Domain;

/// <summary>
/// What a windowed aggregation at event time t covers: rows of the same entity with event time in
/// (t − window, t]. The end is inclusive (the value at t uses every row at or before t, rows sharing
/// time t included) and the start exclusive (a row exactly one window old has left it), so windows of
/// consecutive periods tile without counting a row twice.
/// </summary>
public static class AggregationWindows
{
    public static bool Covers(TimeSpan window, DateTimeOffset at, DateTimeOffset eventTime) =>
        eventTime <= at && eventTime > at - window;

    /// <summary>The same rule as a DuckDB window frame over a timestamp ordering (microsecond precision).</summary>
    public static string SqlFrame(TimeSpan window) => string.Create(CultureInfo.InvariantCulture,
        $"RANGE BETWEEN to_microseconds({window.Ticks / TimeSpan.TicksPerMicrosecond - 1}) PRECEDING AND CURRENT ROW");

    /// <summary>How far before a window's start rows are still needed to compute values inside it.</summary>
    public static TimeSpan Lookback(IEnumerable<Aggregation> aggregations) =>
        aggregations.Select(a => a.Window).DefaultIfEmpty(TimeSpan.Zero).Max();
}
