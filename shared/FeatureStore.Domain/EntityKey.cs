using System.Globalization;
using System.Text.Json;

namespace FeatureStore.Domain;

/// <summary>
/// The canonical text of an entity's join-key values, e.g. <c>customer_id=1001</c> or, for a
/// composite key, <c>order_id=7|store_id=3</c> (join keys in ordinal order). Online-store keys and
/// in-memory grouping both use this text, so the same entity always lands in the same place
/// whichever way its key arrived (JSON number, Parquet int32 or int64).
/// </summary>
public readonly record struct EntityKey(string Text)
{
    public override string ToString() => Text;

    public static EntityKey Single(string joinKey, string valueText) => new($"{joinKey}={valueText}");

    public static EntityKey Compose(IEnumerable<KeyValuePair<string, string>> parts) =>
        new(string.Join('|', parts.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}")));

    /// <summary>The canonical text of one join-key value read from data (Parquet, CSV), or null if it cannot be a key.</summary>
    public static string? ValueText(FeatureValueType type, object? value) => (type, value) switch
    {
        (_, null) => null,
        (FeatureValueType.Int32 or FeatureValueType.Int64, sbyte or byte or short or ushort or int or uint or long)
            => Convert.ToInt64(value, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture),
        (FeatureValueType.String, string s) => Escape(s),
        _ => null,
    };

    /// <summary>The canonical text of one join-key value sent as JSON, or null when the JSON has the wrong type.</summary>
    public static string? ValueText(FeatureValueType type, JsonElement value) => type switch
    {
        FeatureValueType.Int32 when value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var i)
            => i.ToString(CultureInfo.InvariantCulture),
        FeatureValueType.Int64 when value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var l)
            => l.ToString(CultureInfo.InvariantCulture),
        FeatureValueType.String when value.ValueKind == JsonValueKind.String => Escape(value.GetString()!),
        _ => null,
    };

    // '|' and '=' separate parts of the key; escaping keeps any string value unambiguous.
    private static string Escape(string value) =>
        value.AsSpan().IndexOfAny("%|=") < 0 ? value : value.Replace("%", "%25").Replace("|", "%7C").Replace("=", "%3D");
}
