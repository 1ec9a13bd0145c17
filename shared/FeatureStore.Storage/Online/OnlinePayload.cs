using System.Buffers;
using System.Text;
using System.Text.Json;
using FeatureStore.Domain;

namespace FeatureStore.Storage.Online;

/// <summary>
/// How one (entity, view) value is stored, the same in every online store: the row time as
/// <see cref="RowTime.ToSortableText"/> (so a store can refuse older writes by comparing the first
/// <see cref="RowTime.SortableTextLength"/> bytes) followed by the values as a JSON object.
/// </summary>
public static class OnlinePayload
{
    public const int TimePrefixLength = RowTime.SortableTextLength;

    public static byte[] Encode(RowTime time, IReadOnlyList<string> featureNames, IReadOnlyList<object?> values)
    {
        if (featureNames.Count != values.Count)
            throw new ArgumentException($"{values.Count} values for {featureNames.Count} features", nameof(values));
        var buffer = new ArrayBufferWriter<byte>(64 + 16 * values.Count);
        Encoding.ASCII.GetBytes(time.ToSortableText(), buffer);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            for (var i = 0; i < values.Count; i++)
            {
                writer.WritePropertyName(featureNames[i]);
                FeatureValues.WriteJson(writer, values[i]);
            }
            writer.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    public static OnlineEntry Decode(ReadOnlySpan<byte> payload)
    {
        if (payload.Length <= TimePrefixLength) throw new FormatException("online payload too short");
        Span<char> timeText = stackalloc char[TimePrefixLength];
        Encoding.ASCII.GetChars(payload[..TimePrefixLength], timeText);
        var values = JsonElement.Parse(payload[TimePrefixLength..]);
        return new OnlineEntry(RowTime.FromSortableText(timeText), values);
    }
}
