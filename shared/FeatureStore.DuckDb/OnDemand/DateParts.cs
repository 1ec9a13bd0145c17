namespace FeatureStore.DuckDb.OnDemand;

/// <summary>
/// <c>date_diff(part, start, end)</c> as DuckDB counts it for timestamps: calendar parts (year, quarter, month, day) by the
/// boundaries between the two dates; clock parts (hour, minute, second, millisecond, microsecond) by the boundaries between
/// the two instants too: each is floored to whole units since the epoch first (before 1970 as after).
/// </summary>
public static class DateParts
{
    private static readonly Dictionary<string, Func<DateTime, DateTime, long>> Differences = new(StringComparer.OrdinalIgnoreCase)
    {
        ["year"] = (a, b) => b.Year - a.Year,
        ["quarter"] = (a, b) => (b.Year * 4L + (b.Month - 1) / 3) - (a.Year * 4L + (a.Month - 1) / 3),
        ["month"] = (a, b) => (b.Year * 12L + b.Month) - (a.Year * 12L + a.Month),
        ["day"] = (a, b) => (b.Date - a.Date).Ticks / TimeSpan.TicksPerDay,
        ["hour"] = (a, b) => Units(b, TimeSpan.TicksPerHour) - Units(a, TimeSpan.TicksPerHour),
        ["minute"] = (a, b) => Units(b, TimeSpan.TicksPerMinute) - Units(a, TimeSpan.TicksPerMinute),
        ["second"] = (a, b) => Units(b, TimeSpan.TicksPerSecond) - Units(a, TimeSpan.TicksPerSecond),
        ["millisecond"] = (a, b) => Units(b, TimeSpan.TicksPerMillisecond) - Units(a, TimeSpan.TicksPerMillisecond),
        ["microsecond"] = (a, b) => Units(b, TimeSpan.TicksPerMicrosecond) - Units(a, TimeSpan.TicksPerMicrosecond),
    };

    public static bool Known(string part) => Differences.ContainsKey(part);

    public static long Difference(string part, DateTime start, DateTime end) =>
        Differences.TryGetValue(part, out var difference) ? difference(start, end)
            : throw new SqlEvaluationException($"Not implemented Error: date part '{part}'");

    // Whole units since the epoch, floored: 1969-12-31T23:59:59.5 is in second −1, not 0.
    private static long Units(DateTime at, long ticksPerUnit) => (long)Math.Floor((at - DateTime.UnixEpoch).Ticks / (decimal)ticksPerUnit);
}
