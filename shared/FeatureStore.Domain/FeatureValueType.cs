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

    public static bool IsNumeric(this FeatureValueType type) =>
        type is FeatureValueType.Int32 or FeatureValueType.Int64 or FeatureValueType.Float32 or FeatureValueType.Float64;

    public static bool IsArray(this FeatureValueType type) =>
        type is FeatureValueType.Int32Array or FeatureValueType.Int64Array
            or FeatureValueType.Float32Array or FeatureValueType.Float64Array;

    public static FeatureValueType ElementType(this FeatureValueType type) => type switch
    {
        FeatureValueType.Int32Array => FeatureValueType.Int32,
        FeatureValueType.Int64Array => FeatureValueType.Int64,
        FeatureValueType.Float32Array => FeatureValueType.Float32,
        FeatureValueType.Float64Array => FeatureValueType.Float64,
        _ => type,
    };

    /// <summary>
    /// Whether a column of type <paramref name="source"/> can feed a feature of type <paramref name="target"/>
    /// without losing meaning: the same type, an integer widened, or any number into a float. The same rule
    /// as <see cref="FeatureValues.Normalize"/> applies to values; this one is for schemas.
    /// </summary>
    public static bool CanHold(this FeatureValueType target, FeatureValueType source)
    {
        if (target == source) return true;
        if (target.IsArray() || source.IsArray())
            return target.IsArray() && source.IsArray() && target.ElementType().CanHold(source.ElementType());
        return target switch
        {
            FeatureValueType.Int64 => source is FeatureValueType.Int32,
            FeatureValueType.Float32 or FeatureValueType.Float64 => source.IsNumeric(),
            _ => false,
        };
    }

    /// <summary>Join keys must compare exactly, so only integral and string types can be keys.</summary>
    public static bool CanBeJoinKey(this FeatureValueType type) =>
        type is FeatureValueType.Int32 or FeatureValueType.Int64 or FeatureValueType.String;
}
