using System.Buffers;
using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace FeatureStore.Contracts;

/// <summary>
/// Reads a JSON array of strings handing out one shared string per distinct short text, not a new one per request: a model asks
/// for the same feature references request after request, and an online read of fifty features would otherwise allocate fifty
/// strings before it starts. At most <see cref="MaxShared"/> texts are kept (a caller sending ever new names gets new strings,
/// as before, once the table is full). A null element is read as null (the request rules refuse it, naming the field); an
/// element that is no text (a number, a lone surrogate) is refused at its own path, <c>$.features[1]</c>, as the default
/// reader refuses it. Writes a plain array. Applied with <see cref="SharedStringsAttribute"/>, which names the property.
/// </summary>
public sealed class SharedStringsConverter(string jsonName) : JsonConverter<List<string>>
{
    public const int MaxShared = 16_384;
    private const int MaxLength = 256;

    private static readonly ConcurrentDictionary<string, string> Shared = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> SharedByText =
        Shared.GetAlternateLookup<ReadOnlySpan<char>>();

    public override List<string>? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Null) return null;
        if (reader.TokenType != JsonTokenType.StartArray) throw new JsonException();
        var buffer = ArrayPool<string>.Shared.Rent(64);
        var count = 0;
        try
        {
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                var text = reader.TokenType switch
                {
                    JsonTokenType.String => ReadText(ref reader, count),
                    JsonTokenType.Null => null!,
                    _ => throw Refused("The JSON value could not be converted to System.String.", count),
                };
                if (count == buffer.Length)
                {
                    var larger = ArrayPool<string>.Shared.Rent(buffer.Length * 2);
                    buffer.AsSpan(0, count).CopyTo(larger);
                    ArrayPool<string>.Shared.Return(buffer, clearArray: true);
                    buffer = larger;
                }
                buffer[count++] = text;
            }
            var list = new List<string>(count);
            list.AddRange(buffer.AsSpan(0, count));
            return list;
        }
        finally
        {
            ArrayPool<string>.Shared.Return(buffer, clearArray: true);
        }
    }

    private string ReadText(ref Utf8JsonReader reader, int index)
    {
        try
        {
            return SharedText(ref reader);
        }
        catch (InvalidOperationException e)
        {
            throw Refused(e.Message, index);
        }
    }

    // A path of its own: the serializer keeps it (it fills in only a missing one, which would name the whole array).
    private JsonException Refused(string message, int index) => new(message, $"$.{jsonName}[{index}]", null, null);

    private static string SharedText(ref Utf8JsonReader reader)
    {
        if (reader.ValueIsEscaped || reader.HasValueSequence || reader.ValueSpan.Length > MaxLength) return reader.GetString()!;
        Span<char> chars = stackalloc char[MaxLength];
        if (!Encoding.UTF8.TryGetChars(reader.ValueSpan, chars, out var length)) return reader.GetString()!;
        var text = chars[..length];
        if (SharedByText.TryGetValue(text, out var known)) return known;
        var made = reader.GetString()!;
        if (Shared.Count < MaxShared) Shared.TryAdd(made, made);
        return made;
    }

    public override void Write(Utf8JsonWriter writer, List<string> value, JsonSerializerOptions options)
    {
        writer.WriteStartArray();
        foreach (var text in value) writer.WriteStringValue(text);
        writer.WriteEndArray();
    }
}

/// <summary>Reads the property's array of strings with <see cref="SharedStringsConverter"/>; <paramref name="jsonName"/> is the
/// property's name in JSON, for the path of a refused element.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class SharedStringsAttribute(string jsonName) : JsonConverterAttribute
{
    public override JsonConverter CreateConverter(Type typeToConvert) => new SharedStringsConverter(jsonName);
}
