using System.Text.RegularExpressions;
using FeatureStore.Api;

namespace FeatureStore.Registry.Compatibility;

/// <summary>
/// Where a field the apply names (<c>featureViews[0].schema[2].type</c>) sits in a Feature Store 2.0 body (<c>data_type</c>), so
/// that a refusal names the field the caller sent.
/// </summary>
public static partial class CompatibilityPaths
{
    private const string AllowedValues = ".validation.allowedValues";

    /// <param name="prefixes">Document prefixes that came from elsewhere in the body (<c>entities[0]</c> → <c>entities[2]</c>,
    /// <c>sources[0]</c> → <c>source</c>).</param>
    /// <param name="feature">The index in the view's schema of the feature the request adds, if it adds one.</param>
    public static string Translate(string field, IReadOnlyDictionary<string, string> prefixes, int? feature = null)
    {
        foreach (var (from, to) in prefixes)
            if (field == from || field.StartsWith(from + ".", StringComparison.Ordinal)) return to + Snake(field[from.Length..]);
        var view = ViewField().Match(field);
        if (!view.Success) return Snake(field);
        var rest = view.Groups["rest"].Value;
        if (rest == "schedule") return "materialization_schedule";
        if (rest.StartsWith("transformation", StringComparison.Ordinal)) return "transformation";
        if (AggregationField().Match(rest) is { Success: true } aggregation)
            return "transformation" + Snake(aggregation.Groups["rest"].Value);
        if (SchemaField().Match(rest) is not { Success: true } schema) return Snake(rest);
        var index = int.Parse(schema.Groups["index"].Value, System.Globalization.CultureInfo.InvariantCulture);
        var owner = index == feature ? "" : $"features[{index}].";
        var inner = schema.Groups["rest"].Value switch
        {
            "" => "",
            ".type" => "data_type",
            ".validation.default" => "default_value",
            var v when v.StartsWith(AllowedValues, StringComparison.Ordinal) => "allowed_values" + v[AllowedValues.Length..],
            var v when v.StartsWith(".validation", StringComparison.Ordinal) => "validation_rules" + Snake(v[".validation".Length..]),
            var v => Snake(v.TrimStart('.')),
        };
        return (owner + inner).TrimEnd('.') is { Length: > 0 } path ? path : "name";
    }

    /// <summary>Refusals of the apply, their fields translated (<see cref="Translate"/>), as the same kind of refusal.</summary>
    public static RefusedException Translated(RefusedException refusal, IReadOnlyDictionary<string, string> prefixes,
        int? feature = null)
    {
        var errors = refusal.Errors.Select(e => e with { Field = Translate(e.Field, prefixes, feature) }).DistinctBy(e => e.Field).ToList();
        return refusal.WithErrors(errors);
    }

    /// <summary><c>joinKeys[0].timestampField</c> → <c>join_keys[0].timestamp_field</c>.</summary>
    public static string Snake(string path) => UpperLetter().Replace(path, m => "_" + char.ToLowerInvariant(m.Value[0]));

    [GeneratedRegex(@"^featureViews\[\d+\]\.?(?<rest>.*)$")]
    private static partial Regex ViewField();

    [GeneratedRegex(@"^schema\[(?<index>\d+)\](?<rest>.*)$")]
    private static partial Regex SchemaField();

    [GeneratedRegex(@"^aggregations\[\d+\](?<rest>.*)$")]
    private static partial Regex AggregationField();

    [GeneratedRegex("[A-Z]")]
    private static partial Regex UpperLetter();
}
