using System.Globalization;
using System.Text.Json;
using Feast.Types;
using FeatureStore.Api;
using FeatureStore.Domain;
using Google.Protobuf;
using Google.Protobuf.Collections;

namespace FeatureStore.FeatureApi.Grpc;

/// <summary>
/// Feast's <see cref="Value"/> messages and the JSON values an online read takes and gives: a request's columns become the
/// JSON columns the JSON endpoints send (so the same checks and the same read answer both), and each reading becomes the
/// Value of its declared type, as Feast types them (timestamps as whole seconds since the epoch, as Feast's
/// <c>unix_timestamp_val</c> holds them; lists for arrays; no value set for a missing one).
/// </summary>
public static class FeastValues
{
    /// <summary>The request's entity columns then its request-context columns, in the order they came; a name given twice is
    /// refused.</summary>
    public static Dictionary<string, List<JsonElement>> Columns(MapField<string, RepeatedValue> entities,
        MapField<string, RepeatedValue> requestContext)
    {
        var columns = new Dictionary<string, List<JsonElement>>(StringComparer.Ordinal);
        AddColumns(columns, entities, "entities");
        AddColumns(columns, requestContext, "request_context");
        return columns;
    }

    private static void AddColumns(Dictionary<string, List<JsonElement>> columns, MapField<string, RepeatedValue> map, string field)
    {
        foreach (var (name, values) in map)
        {
            if (columns.ContainsKey(name))
                throw FieldErrors.Invalid($"{field}.{name}", "is also an entity column; give each column once");
            // One JSON array per column, parsed once: its elements are the column's values.
            var buffer = new System.Buffers.ArrayBufferWriter<byte>(16 * (values.Val.Count + 1));
            using (var writer = new Utf8JsonWriter(buffer))
            {
                writer.WriteStartArray();
                for (var row = 0; row < values.Val.Count; row++) WriteJson(writer, values.Val[row], $"{field}.{name}[{row}]");
                writer.WriteEndArray();
            }
            columns[name] = [.. JsonElement.Parse(buffer.WrittenSpan).EnumerateArray()];
        }
    }

    private static void WriteJson(Utf8JsonWriter writer, Value value, string field)
    {
        switch (value.ValCase)
        {
            case Value.ValOneofCase.None or Value.ValOneofCase.NullVal: writer.WriteNullValue(); break;
            case Value.ValOneofCase.Int32Val: writer.WriteNumberValue(value.Int32Val); break;
            case Value.ValOneofCase.Int64Val: writer.WriteNumberValue(value.Int64Val); break;
            case Value.ValOneofCase.DoubleVal: WriteDouble(writer, value.DoubleVal); break;
            case Value.ValOneofCase.FloatVal: WriteDouble(writer, value.FloatVal); break;
            case Value.ValOneofCase.BoolVal: writer.WriteBooleanValue(value.BoolVal); break;
            case Value.ValOneofCase.StringVal: writer.WriteStringValue(value.StringVal); break;
            case Value.ValOneofCase.UuidVal: writer.WriteStringValue(value.UuidVal); break;
            case Value.ValOneofCase.TimeUuidVal: writer.WriteStringValue(value.TimeUuidVal); break;
            case Value.ValOneofCase.BytesVal: writer.WriteBase64StringValue(value.BytesVal.Span); break;
            case Value.ValOneofCase.UnixTimestampVal: WireTime.Write(writer, Seconds(value.UnixTimestampVal, field)); break;
            case Value.ValOneofCase.Int32ListVal: WriteArray(writer, value.Int32ListVal.Val, (w, v) => w.WriteNumberValue(v)); break;
            case Value.ValOneofCase.Int64ListVal: WriteArray(writer, value.Int64ListVal.Val, (w, v) => w.WriteNumberValue(v)); break;
            case Value.ValOneofCase.FloatListVal: WriteArray(writer, value.FloatListVal.Val, (w, v) => WriteDouble(w, v)); break;
            case Value.ValOneofCase.DoubleListVal: WriteArray(writer, value.DoubleListVal.Val, WriteDouble); break;
            default:
                throw FieldErrors.Invalid(field, $"is a Feast {value.ValCase} value; FeatureStore's columns take numbers, strings, "
                    + "booleans, bytes, timestamps and number lists");
        }
    }

    private static void WriteDouble(Utf8JsonWriter writer, double value)
    {
        // As stored values write them: JSON has no NaN or infinities, their names stand in.
        if (double.IsFinite(value)) writer.WriteNumberValue(value);
        else writer.WriteStringValue(value.ToString(CultureInfo.InvariantCulture));
    }

    private static void WriteArray<T>(Utf8JsonWriter writer, RepeatedField<T> items, Action<Utf8JsonWriter, T> write)
    {
        writer.WriteStartArray();
        foreach (var item in items) write(writer, item);
        writer.WriteEndArray();
    }

    private static DateTimeOffset Seconds(long seconds, string field) =>
        seconds is >= -62_135_596_800 and <= 253_402_300_799
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : throw FieldErrors.Invalid(field, "is a timestamp outside the years 1 to 9999");

    /// <summary>A reading's value as Feast's Value of the feature's declared type; none set when there is no value.</summary>
    public static Value ToValue(FeatureValueType type, JsonElement? json)
    {
        if (json is not { ValueKind: not JsonValueKind.Null } value) return new Value();
        return type switch
        {
            FeatureValueType.Int32 => new Value { Int32Val = value.GetInt32() },
            FeatureValueType.Int64 => new Value { Int64Val = value.GetInt64() },
            FeatureValueType.Float32 => new Value { FloatVal = (float)Double(value) },
            FeatureValueType.Float64 => new Value { DoubleVal = Double(value) },
            FeatureValueType.Bool => new Value { BoolVal = value.GetBoolean() },
            FeatureValueType.String => new Value { StringVal = value.GetString() },
            FeatureValueType.Bytes => new Value { BytesVal = ByteString.CopyFrom(value.GetBytesFromBase64()) },
            // Feast's timestamps are whole seconds: the instant's second, rounded down (before 1970 too).
            FeatureValueType.Timestamp => new Value { UnixTimestampVal = value.GetDateTimeOffset().ToUnixTimeSeconds() },
            FeatureValueType.Int32Array => new Value
            { Int32ListVal = new Int32List { Val = { value.EnumerateArray().Select(e => e.GetInt32()) } } },
            FeatureValueType.Int64Array => new Value
            { Int64ListVal = new Int64List { Val = { value.EnumerateArray().Select(e => e.GetInt64()) } } },
            FeatureValueType.Float32Array => new Value
            { FloatListVal = new FloatList { Val = { value.EnumerateArray().Select(e => (float)Double(e)) } } },
            FeatureValueType.Float64Array => new Value
            { DoubleListVal = new DoubleList { Val = { value.EnumerateArray().Select(Double) } } },
            _ => throw new ArgumentOutOfRangeException(nameof(type), type, "not a feature value type"),
        };
    }

    private static double Double(JsonElement value) => value.ValueKind == JsonValueKind.String
        ? double.Parse(value.GetString()!, NumberStyles.Float, CultureInfo.InvariantCulture)
        : value.GetDouble();
}
