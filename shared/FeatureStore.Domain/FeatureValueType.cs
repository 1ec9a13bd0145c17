namespace FeatureStore.Domain;

/// <summary>The types a feature (or a join key) can have.</summary>
[System.Text.Json.Serialization.JsonConverter(typeof(FeatureValueTypeJsonConverter))]
public enum FeatureValueType
{
    Int32,
    Int64,
    Float32,
    Float64,
    Bool,
    String,
    Bytes,
    Timestamp,
    Int32Array,
    Int64Array,
    Float32Array,
    Float64Array,
}

public static class FeatureValueTypes
{
    private static readonly Dictionary<string, FeatureValueType> ByName = new(StringComparer.OrdinalIgnoreCase)
    {
        ["int32"] = FeatureValueType.Int32,
        ["int64"] = FeatureValueType.Int64,
        ["float32"] = FeatureValueType.Float32,
        ["float64"] = FeatureValueType.Float64,
        ["bool"] = FeatureValueType.Bool,
        ["string"] = FeatureValueType.String,
        ["bytes"] = FeatureValueType.Bytes,
        ["timestamp"] = FeatureValueType.Timestamp,
        ["int32[]"] = FeatureValueType.Int32Array,
        ["int64[]"] = FeatureValueType.Int64Array,
        ["float32[]"] = FeatureValueType.Float32Array,
        ["float64[]"] = FeatureValueType.Float64Array,
    };

    public static IEnumerable<string> KnownNames => ByName.Keys;

    public static bool TryParse(string? text, out FeatureValueType type)
    {
        type = default;
        return text is not null && ByName.TryGetValue(text, out type);
    }

    public static string ToName(this FeatureValueType type) => type switch
    {
        FeatureValueType.Int32Array => "int32[]",
        FeatureValueType.Int64Array => "int64[]",
        FeatureValueType.Float32Array => "float32[]",
        FeatureValueType.Float64Array => "float64[]",
        _ => type.ToString().ToLowerInvariant(),
    };

    /// <summary>Join keys must compare exactly, so only integral and string types can be keys.</summary>
    public static bool CanBeJoinKey(this FeatureValueType type) =>
        type is FeatureValueType.Int32 or FeatureValueType.Int64 or FeatureValueType.String;
}
