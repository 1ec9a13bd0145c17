using System.Globalization;
using System.Text;

namespace FeatureStore.Domain;

/// <summary>
/// Durations as users write them in definitions: a sequence of number+unit parts such as
/// <c>30d</c>, <c>12h</c>, <c>1h30m</c>, <c>45s</c>, <c>500ms</c>, or <c>0</c> (TTL 0 means unbounded).
/// </summary>
public static class Durations
{
    private static readonly (string Unit, TimeSpan Size)[] Units =
    [
        ("w", TimeSpan.FromDays(7)), ("d", TimeSpan.FromDays(1)), ("h", TimeSpan.FromHours(1)),
        ("ms", TimeSpan.FromMilliseconds(1)), ("m", TimeSpan.FromMinutes(1)), ("s", TimeSpan.FromSeconds(1)),
    ];

    public const string Format = "a number and unit (w, d, h, m, s, ms), repeated, such as '30d', '1h30m' or '0'";

    public static bool TryParse(string? text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        if (string.IsNullOrWhiteSpace(text)) return false;
        var span = text.AsSpan().Trim();
        if (span is "0") return true;
        var total = TimeSpan.Zero;
        while (!span.IsEmpty)
        {
            int digits = 0;
            while (digits < span.Length && char.IsAsciiDigit(span[digits])) digits++;
            if (digits == 0 || digits > 9) return false;
            var number = long.Parse(span[..digits], CultureInfo.InvariantCulture);
            span = span[digits..];
            // Units are ordered so that "ms" is tried before "m".
            var unit = -1;
            for (var u = 0; u < Units.Length && unit < 0; u++)
                if (span.StartsWith(Units[u].Unit, StringComparison.Ordinal)) unit = u;
            if (unit < 0) return false;
            try { total = checked(total + Units[unit].Size * number); }
            catch (OverflowException) { return false; }
            span = span[Units[unit].Unit.Length..];
        }
        duration = total;
        return true;
    }

    public static TimeSpan Parse(string text) =>
        TryParse(text, out var d) ? d : throw new FormatException($"'{text}' is not a duration: expected {Format}.");

    /// <summary>The shortest text that parses back to the same duration.</summary>
    public static string ToText(TimeSpan duration)
    {
        if (duration < TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(duration), "durations are never negative");
        if (duration == TimeSpan.Zero) return "0";
        var text = new StringBuilder();
        var rest = duration;
        foreach (var unit in (string[])["d", "h", "m", "s", "ms"])
        {
            var size = Array.Find(Units, u => u.Unit == unit).Size;
            var count = rest.Ticks / size.Ticks;
            if (count == 0) continue;
            text.Append(count.ToString(CultureInfo.InvariantCulture)).Append(unit);
            rest -= size * count;
        }
        return text.ToString();
    }
}
