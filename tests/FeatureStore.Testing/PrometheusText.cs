using System.Globalization;
using System.Text.RegularExpressions;

namespace FeatureStore.Testing;

/// <summary>One sample of a Prometheus text exposition: its name, labels and value.</summary>
public sealed record PrometheusSample(string Name, IReadOnlyDictionary<string, string> Labels, double Value);

/// <summary>
/// A strict reader of the Prometheus text exposition format (version 0.0.4): <c># HELP</c> and <c># TYPE</c> lines and
/// samples <c>name{label="value",…} value [timestamp]</c>. Anything else — a malformed line, a bad name, a sample of a family
/// with no TYPE, a value that is not a number — throws, naming the line.
/// </summary>
public static partial class PrometheusText
{
    public static (IReadOnlyDictionary<string, string> Types, IReadOnlyList<PrometheusSample> Samples) Parse(string text)
    {
        var types = new Dictionary<string, string>(StringComparer.Ordinal);
        var samples = new List<PrometheusSample>();
        foreach (var line in text.Split('\n'))
        {
            if (line.Length == 0) continue;
            if (line.StartsWith("# TYPE ", StringComparison.Ordinal))
            {
                var parts = line[7..].Split(' ');
                if (parts.Length != 2 || !Name().IsMatch(parts[0])
                    || parts[1] is not ("counter" or "gauge" or "histogram" or "summary" or "untyped"))
                    throw new FormatException($"bad TYPE line: {line}");
                types[parts[0]] = parts[1];
                continue;
            }
            if (line.StartsWith('#')) continue; // HELP and comments
            var match = Sample().Match(line);
            if (!match.Success) throw new FormatException($"bad sample line: {line}");
            var name = match.Groups["name"].Value;
            if (!types.ContainsKey(Family(name, types))) throw new FormatException($"sample of a family with no TYPE: {line}");
            var labels = Label().Matches(match.Groups["labels"].Value)
                .ToDictionary(l => l.Groups["key"].Value, l => Unescape(l.Groups["value"].Value), StringComparer.Ordinal);
            samples.Add(new PrometheusSample(name, labels, ParseValue(match.Groups["value"].Value, line)));
        }
        return (types, samples);
    }

    /// <summary>The family a sample belongs to: a histogram's <c>_bucket</c>, <c>_sum</c> and <c>_count</c> are its own.</summary>
    public static string Family(string name, IReadOnlyDictionary<string, string> types)
    {
        foreach (var suffix in new[] { "_bucket", "_sum", "_count" })
            if (name.EndsWith(suffix, StringComparison.Ordinal) && types.TryGetValue(name[..^suffix.Length], out var type)
                && type is "histogram" or "summary")
                return name[..^suffix.Length];
        return name;
    }

    private static double ParseValue(string text, string line) => text switch
    {
        "+Inf" => double.PositiveInfinity,
        "-Inf" => double.NegativeInfinity,
        "NaN" => double.NaN,
        _ => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value
            : throw new FormatException($"bad value in: {line}"),
    };

    private static string Unescape(string value) => value.Replace("\\n", "\n").Replace("\\\"", "\"").Replace("\\\\", "\\");

    [GeneratedRegex("^[a-zA-Z_:][a-zA-Z0-9_:]*$")]
    private static partial Regex Name();

    private const string SamplePattern = """^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)""" +
        """(\{(?<labels>([a-zA-Z_][a-zA-Z0-9_]*="([^"\\]|\\.)*",?)*)\})? (?<value>\S+)( -?\d+)?$""";

    [GeneratedRegex(SamplePattern)]
    private static partial Regex Sample();

    [GeneratedRegex(@"(?<key>[a-zA-Z_][a-zA-Z0-9_]*)=""(?<value>([^""\\]|\\.)*)""")]
    private static partial Regex Label();
}
