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
        return new OnlinePayloadEncoder().Encode(time, writer =>
        {
            for (var i = 0; i < values.Count; i++)
            {
                writer.WritePropertyName(featureNames[i]);
                FeatureValues.WriteJson(writer, values[i]);
            }
        });
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

/// <summary>
/// Encodes payloads one after another with one buffer (not thread-safe): for bulk writers that write the
/// properties themselves, straight from their source, without boxing every value.
/// </summary>
public sealed class OnlinePayloadEncoder
{
    private readonly ArrayBufferWriter<byte> _buffer = new(1024);
    private readonly Utf8JsonWriter _writer;

    public OnlinePayloadEncoder() => _writer = new Utf8JsonWriter(_buffer);

    /// <summary>The payload of one row: its time prefix, then a JSON object whose properties <paramref name="writeProperties"/>
    /// writes.</summary>
    public byte[] Encode(RowTime time, Action<Utf8JsonWriter> writeProperties)
    {
        _buffer.ResetWrittenCount();
        _writer.Reset(_buffer);
        Encoding.ASCII.GetBytes(time.ToSortableText(), _buffer);
        _writer.WriteStartObject();
        writeProperties(_writer);
        _writer.WriteEndObject();
        _writer.Flush();
        return _buffer.WrittenSpan.ToArray();
    }
}
