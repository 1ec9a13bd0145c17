using System.Globalization;
using System.Text.Json;

namespace FeatureStore.Domain;

/// <summary>
/// The validation rules of a feature (<see cref="FieldRules"/>), in one place and two forms: over a value in
/// memory (pushes) and as a DuckDB condition over a column (materialization). <c>min</c> and <c>max</c> are
/// inclusive bounds, <c>allowed</c> a closed set; a null breaks none of them. <c>not_null</c> is broken by a
/// null only when no default fills it: the default replaces a null, and (in materialization) a value that
/// broke a rule and was dropped.
/// </summary>
public static class FieldRuleChecks
{
    public const string Min = "min";
    public const string Max = "max";
    public const string Allowed = "allowed";
    public const string NotNull = "not_null";

    /// <summary>The value rules a feature has (<c>min</c>, <c>max</c>, <c>allowed</c>), in that order.</summary>
    public static IEnumerable<string> ValueRules(FieldRules rules)
    {
        if (rules.Min is not null) yield return Min;
        if (rules.Max is not null) yield return Max;
        if (rules.AllowedValues is { Count: > 0 }) yield return Allowed;
    }

    /// <summary>Whether a null can reach the output and break <c>not_null</c>.</summary>
    public static bool ChecksNotNull(FieldRules rules) => rules.NotNull && rules.Default is null;

    /// <summary>The first rule a (typed, <see cref="FeatureValues"/>) value breaks, with a sentence saying how; or null.</summary>
    public static (string Rule, string Message)? Broken(FeatureField feature, object? value)
    {
        if (feature.Rules is not { } rules) return null;
        if (value is null)
            return ChecksNotNull(rules) ? (NotNull, "must not be null (the field has no default)") : null;
        foreach (var rule in ValueRules(rules))
        {
            var broken = rule switch
            {
                Min => AsNumber(value) < rules.Min!.Value,
                Max => AsNumber(value) > rules.Max!.Value,
                _ => !rules.AllowedValues!.Any(a => FeatureValues.TryReadJson(feature.Type, a, out var allowed) && Equals(allowed, value)),
            };
            if (broken)
                return (rule, rule switch
                {
                    Min => $"is below the minimum {rules.Min!.Value.ToString("R", CultureInfo.InvariantCulture)}",
                    Max => $"is above the maximum {rules.Max!.Value.ToString("R", CultureInfo.InvariantCulture)}",
                    _ => $"is not one of the allowed values ({string.Join(", ", rules.AllowedValues!.Select(a => a.GetRawText()))})",
                });
        }
        return null;
    }

    private static double? AsNumber(object value) => value switch
    {
        int i => i,
        long l => l,
        float f => f,
        double d => d,
        _ => null,
    };

    /// <summary>The feature's default as a typed value, or null when it has none.</summary>
    public static object? DefaultValue(FeatureField feature) =>
        feature.Rules?.Default is { } fallback && FeatureValues.TryReadJson(feature.Type, fallback, out var value) ? value : null;

    /// <summary>A value rule as a DuckDB condition over <paramref name="column"/>: true when broken, null when the value is null.</summary>
    public static string SqlBroken(FeatureField feature, string rule, string column)
    {
        var rules = feature.Rules!;
        return rule switch
        {
            Min => $"({column} < {rules.Min!.Value.ToString("R", CultureInfo.InvariantCulture)})",
            Max => $"({column} > {rules.Max!.Value.ToString("R", CultureInfo.InvariantCulture)})",
            Allowed => $"({column} NOT IN ({string.Join(", ", rules.AllowedValues!.Select(a => SqlLiteral(a, feature.Type)))}))",
            _ => throw new ArgumentOutOfRangeException(nameof(rule), rule, "not a value rule"),
        };
    }

    /// <summary>The feature's default as a DuckDB literal of its type.</summary>
    public static string SqlDefault(FeatureField feature) => SqlLiteral(feature.Rules!.Default!.Value, feature.Type);

    private static string SqlLiteral(JsonElement value, FeatureValueType type) => value.ValueKind switch
    {
        JsonValueKind.String => $"CAST({DuckDbTypes.Literal(value.GetString()!)} AS {DuckDbTypes.ToSql(type)})",
        JsonValueKind.True or JsonValueKind.False => value.GetBoolean() ? "true" : "false",
        JsonValueKind.Number => $"CAST({value.GetRawText()} AS {DuckDbTypes.ToSql(type)})",
        _ => "NULL",
    };
}
