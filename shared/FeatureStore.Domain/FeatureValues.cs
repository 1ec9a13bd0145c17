using System.Collections;
using System.Globalization;
using System.Text.Json;

namespace FeatureStore.Domain;

/// <summary>
/// The single mapping between a declared <see cref="FeatureValueType"/> and its values: which CLR
/// values a column may hold (normalised to one CLR type per feature type) and how they look in JSON.
/// </summary>
public static class FeatureValues
{
    /// <summary>Converts a value read from data to the CLR type of <paramref name="type"/>; throws when it does not fit.</summary>
    public static object? Normalize(FeatureValueType type, object? raw)
    {
        if (raw is null) return null;
        return type switch
        {
            FeatureValueType.Int32 => raw is int or short or sbyte or byte or ushort ? Convert.ToInt32(raw, CultureInfo.InvariantCulture)
                : raw is long l && l is >= int.MinValue and <= int.MaxValue ? (int)l : throw Mismatch(type, raw),
            FeatureValueType.Int64 => raw is long or int or short or sbyte or byte or ushort or uint
                ? Convert.ToInt64(raw, CultureInfo.InvariantCulture) : throw Mismatch(type, raw),
            FeatureValueType.Float32 => raw is float or double or int or long or short
                ? Convert.ToSingle(raw, CultureInfo.InvariantCulture) : throw Mismatch(type, raw),
            FeatureValueType.Float64 => raw is double or float or int or long or short or decimal
                ? Convert.ToDouble(raw, CultureInfo.InvariantCulture) : throw Mismatch(type, raw),
            FeatureValueType.Bool => raw as bool? ?? throw Mismatch(type, raw),
            FeatureValueType.String => raw as string ?? throw Mismatch(type, raw),
            FeatureValueType.Bytes => raw as byte[] ?? throw Mismatch(type, raw),
            FeatureValueType.Timestamp => ToTimestamp(raw) ?? throw Mismatch(type, raw),
            FeatureValueType.Int32Array => ToArray(raw, FeatureValueType.Int32, o => (int)o!),
            FeatureValueType.Int64Array => ToArray(raw, FeatureValueType.Int64, o => (long)o!),
            FeatureValueType.Float32Array => ToArray(raw, FeatureValueType.Float32, o => (float)o!),
            FeatureValueType.Float64Array => ToArray(raw, FeatureValueType.Float64, o => (double)o!),
            _ => throw Mismatch(type, raw),
        };
    }

    /// <summary>Reads a JSON value as <paramref name="type"/>; false when the JSON has another shape (null fits every type).</summary>
    public static bool TryReadJson(FeatureValueType type, JsonElement json, out object? value)
    {
        value = null;
        if (json.ValueKind == JsonValueKind.Null) return true;
        switch (type)
        {
            case FeatureValueType.Int32 when json.ValueKind == JsonValueKind.Number && json.TryGetInt32(out var i): value = i; return true;
            case FeatureValueType.Int64 when json.ValueKind == JsonValueKind.Number && json.TryGetInt64(out var l): value = l; return true;
            case FeatureValueType.Float32 when json.ValueKind == JsonValueKind.Number: value = json.GetSingle(); return true;
            case FeatureValueType.Float64 when json.ValueKind == JsonValueKind.Number: value = json.GetDouble(); return true;
            case FeatureValueType.Bool when json.ValueKind is JsonValueKind.True or JsonValueKind.False:
                value = json.GetBoolean(); return true;
            case FeatureValueType.String when json.ValueKind == JsonValueKind.String: value = json.GetString(); return true;
            case FeatureValueType.Bytes when json.ValueKind == JsonValueKind.String && json.TryGetBytesFromBase64(out var bytes):
                value = bytes; return true;
            case FeatureValueType.Timestamp when json.ValueKind == JsonValueKind.String && json.TryGetDateTimeOffset(out var t):
                value = t.ToUniversalTime(); return true;
            case var array when array.IsArray() && json.ValueKind == JsonValueKind.Array:
                var items = new List<object?>();
                foreach (var item in json.EnumerateArray())
                {
                    if (item.ValueKind == JsonValueKind.Null || !TryReadJson(array.ElementType(), item, out var element)) return false;
                    items.Add(element);
                }
                value = Normalize(array, items);
                return true;
            default: return false;
        }
    }

    /// <summary>Timestamps from data: Parquet readers hand back UTC instants as unspecified-kind DateTimes.</summary>
    public static DateTimeOffset? ToTimestamp(object? raw) => raw switch
    {
        DateTimeOffset dto => dto.ToUniversalTime(),
        DateTime { Kind: DateTimeKind.Local } local => new DateTimeOffset(local.ToUniversalTime(), TimeSpan.Zero),
        DateTime dt => new DateTimeOffset(DateTime.SpecifyKind(dt, DateTimeKind.Utc), TimeSpan.Zero),
        _ => null,
    };

    /// <summary>A normalised value as a JSON element (see <see cref="WriteJson"/>).</summary>
    public static JsonElement ToJsonElement(object? value)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(64);
        using (var writer = new Utf8JsonWriter(buffer)) WriteJson(writer, value);
        var reader = new Utf8JsonReader(buffer.WrittenSpan);
        return JsonElement.ParseValue(ref reader);
    }

    /// <summary>Writes a normalised value as JSON: numbers, booleans, strings, base64 bytes, ISO-8601 UTC timestamps, arrays.</summary>
    public static void WriteJson(Utf8JsonWriter writer, object? value)
    {
        switch (value)
        {
            case null: writer.WriteNullValue(); break;
            case int i: writer.WriteNumberValue(i); break;
            case long l: writer.WriteNumberValue(l); break;
            case float f when float.IsFinite(f): writer.WriteNumberValue(f); break;
            case double d when double.IsFinite(d): writer.WriteNumberValue(d); break;
            // JSON has no NaN/Infinity; System.Text.Json's named literals keep them readable and round-trippable.
            case float f: writer.WriteStringValue(f.ToString(CultureInfo.InvariantCulture)); break;
            case double d: writer.WriteStringValue(d.ToString(CultureInfo.InvariantCulture)); break;
            case bool b: writer.WriteBooleanValue(b); break;
            case string s: writer.WriteStringValue(s); break;
            case byte[] bytes: writer.WriteBase64StringValue(bytes); break;
            case DateTimeOffset t: WireTime.Write(writer, t); break;
            case IEnumerable items:
                writer.WriteStartArray();
                foreach (var item in items) WriteJson(writer, item);
                writer.WriteEndArray();
                break;
            default: throw new ArgumentException($"{value.GetType().Name} is not a feature value", nameof(value));
        }
    }

    private static T[] ToArray<T>(object raw, FeatureValueType elementType, Func<object?, T> cast)
    {
        if (raw is T[] exact) return exact;
        if (raw is string or not IEnumerable) throw Mismatch(elementType, raw);
        return ((IEnumerable)raw).Cast<object?>()
            .Select(item => cast(Normalize(elementType, item
                ?? throw new FormatException($"a {elementType.ToName()} array cannot hold null elements")))).ToArray();
    }

    private static FormatException Mismatch(FeatureValueType type, object raw) =>
        new($"a {raw.GetType().Name} value cannot be a {type.ToName()} feature");
}
