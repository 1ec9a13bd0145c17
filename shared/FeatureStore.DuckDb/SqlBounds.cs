using System.Globalization;
using System.Text.Json;

namespace FeatureStore.DuckDb;

/// <summary>
/// The size a generator or builder would reach, when its arguments are constants (folded through casts and arithmetic, so
/// <c>range(10^9)</c> counts as well as <c>range(1000000000)</c>): above <see cref="SqlFunctionPolicy.MaxGeneratedValues"/>
/// it is refused before it runs. Arguments that depend on data cannot be known here; the query time limit bounds those.
/// </summary>
internal static class SqlBounds
{
    public static string? Refusal(string function, JsonElement arguments)
    {
        var values = arguments.EnumerateArray().Select(Fold).ToList();
        var size = function.ToLowerInvariant() switch
        {
            "range" or "generate_series" => Series(values),
            // The second argument is a count or length: repeat('x', n), lpad(s, n, c), list_resize(l, n).
            "repeat" or "lpad" or "rpad" or "list_resize" or "array_resize" when values.Count > 1 => values[1],
            _ => null,
        };
        return size is { } n && (double.IsNaN(n) || Math.Abs(n) > SqlFunctionPolicy.MaxGeneratedValues)
            ? string.Create(CultureInfo.InvariantCulture,
                $"{function}(...) would make {Describe(n)} values, more than the {SqlFunctionPolicy.MaxGeneratedValues:N0} allowed")
            : null;
    }

    /// <summary>How many values range/generate_series make from (stop), (start, stop) or (start, stop, step).</summary>
    private static double? Series(List<double?> values)
    {
        if (values.Count == 0 || values.Any(v => v is null)) return null;
        var (start, stop, step) = values.Count switch
        {
            1 => (0, values[0]!.Value, 1),
            2 => (values[0]!.Value, values[1]!.Value, 1),
            _ => (values[0]!.Value, values[1]!.Value, values[2]!.Value),
        };
        return step == 0 ? null : Math.Abs((stop - start) / step);
    }

    /// <summary>The value of a constant expression, or null when it is not a number known before the query runs.</summary>
    private static double? Fold(JsonElement node)
    {
        var kind = node.TryGetProperty("class", out var c) ? c.GetString() : null;
        switch (kind)
        {
            case "CONSTANT":
                var value = node.GetProperty("value");
                if (value.GetProperty("is_null").GetBoolean()) return null;
                var type = value.GetProperty("type");
                var raw = value.GetProperty("value");
                if (raw.ValueKind == JsonValueKind.Object && raw.TryGetProperty("upper", out var upper))
                    return upper.GetDouble() * Math.Pow(2, 64) + raw.GetProperty("lower").GetDouble(); // HUGEINT
                if (raw.ValueKind == JsonValueKind.String)
                    return double.TryParse(raw.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed)
                        ? parsed : null;
                if (raw.ValueKind != JsonValueKind.Number) return null;
                // DECIMAL constants carry their unscaled digits and the scale in the type.
                var scale = type.GetProperty("id").GetString() == "DECIMAL"
                    ? type.GetProperty("type_info").GetProperty("scale").GetInt32() : 0;
                return raw.GetDouble() / Math.Pow(10, scale);
            case "CAST":
                return Fold(node.GetProperty("child"));
            case "FUNCTION":
                var operands = node.GetProperty("children").EnumerateArray().Select(Fold).ToList();
                if (operands.Count == 0 || operands.Any(o => o is null)) return null;
                var (a, b) = (operands[0]!.Value, operands.Count > 1 ? operands[1]!.Value : double.NaN);
                return (node.GetProperty("function_name").GetString(), operands.Count) switch
                {
                    ("-", 1) => -a,
                    ("+", 2) => a + b,
                    ("-", 2) => a - b,
                    ("*", 2) => a * b,
                    ("/" or "//", 2) => b == 0 ? null : a / b,
                    ("^" or "**" or "pow" or "power", 2) => Math.Pow(a, b),
                    ("<<", 2) => a * Math.Pow(2, b),
                    _ => null,
                };
            default:
                return null;
        }
    }

    private static string Describe(double n) =>
        double.IsNaN(n) || double.IsInfinity(n) ? "unboundedly many" : Math.Abs(n).ToString("N0", CultureInfo.InvariantCulture);
}
