using System.Text.Json;
using System.Text.Json.Serialization;

namespace FeatureStore.Domain;

/// <summary>
/// How every instant is written on the wire — in API answers, online values, requests one service sends another
/// and messages people read: UTC, ISO 8601 with a <c>Z</c>, to the microsecond the stores keep (finer ticks are
/// dropped, so online and offline never differ below it), trailing zeros of the fraction trimmed:
/// <c>2024-05-01T12:00:00Z</c>, <c>2024-05-01T12:00:00.25Z</c>. Readers accept any ISO 8601 offset.
/// </summary>
public static class WireTime
{
    private const int MaxLength = 27; // "2024-05-01T12:00:00.123456Z"

    public static string Text(DateTimeOffset at)
    {
        Span<byte> text = stackalloc byte[MaxLength];
        return System.Text.Encoding.ASCII.GetString(text[..Format(at, text)]);
    }

    /// <summary>The longest <see cref="FormatJson"/> answers: the text and its quotes.</summary>
    public const int MaxJsonLength = MaxLength + 2;

    /// <summary>Writes <paramref name="at"/> as a JSON string without allocating (an online answer writes one per feature and
    /// entity, so this is digit arithmetic, not a format string).</summary>
    public static void Write(Utf8JsonWriter writer, DateTimeOffset at)
    {
        Span<byte> json = stackalloc byte[MaxJsonLength];
        WriteJson(writer, json[..FormatJson(at, json)]);
    }

    /// <summary>The JSON string of <paramref name="at"/> (quoted) in UTF-8; answers its length. For writers that reuse it.</summary>
    public static int FormatJson(DateTimeOffset at, Span<byte> json)
    {
        json[0] = (byte)'"';
        var length = Format(at, json[1..]);
        json[length + 1] = (byte)'"';
        return length + 2;
    }

    /// <summary>Writes a JSON string <see cref="FormatJson"/> made.</summary>
    public static void WriteJson(Utf8JsonWriter writer, ReadOnlySpan<byte> json) =>
        // Only ASCII digits and separators between quotes: nothing to escape or validate.
        writer.WriteRawValue(json, skipInputValidation: true);

    /// <summary>The wire form of <paramref name="at"/> in ASCII; answers its length.</summary>
    private static int Format(DateTimeOffset at, Span<byte> text)
    {
        var utc = at.UtcDateTime;
        var (year, month, day) = utc;
        var time = utc.TimeOfDay;
        Digits(text, 0, year, 4);
        text[4] = (byte)'-';
        Digits(text, 5, month, 2);
        text[7] = (byte)'-';
        Digits(text, 8, day, 2);
        text[10] = (byte)'T';
        Digits(text, 11, time.Hours, 2);
        text[13] = (byte)':';
        Digits(text, 14, time.Minutes, 2);
        text[16] = (byte)':';
        Digits(text, 17, time.Seconds, 2);
        var length = 19;
        // Finer ticks than the microsecond are dropped, not rounded (the stores keep microseconds); trailing zeros are trimmed.
        var micros = (int)(time.Ticks % TimeSpan.TicksPerSecond / TimeSpan.TicksPerMicrosecond);
        if (micros > 0)
        {
            var digits = 6;
            while (micros % 10 == 0)
            {
                micros /= 10;
                digits--;
            }
            text[length++] = (byte)'.';
            Digits(text, length, micros, digits);
            length += digits;
        }
        text[length++] = (byte)'Z';
        return length;
    }

    private static void Digits(Span<byte> text, int start, int value, int count)
    {
        for (var i = start + count - 1; i >= start; i--, value /= 10) text[i] = (byte)('0' + value % 10);
    }

    /// <summary>
    /// The same text in DuckDB, for answers written by the engine (the historical rows): the six-digit fraction with
    /// its trailing zeros and, when nothing is left of it, its point trimmed. The session's time zone must be UTC.
    /// </summary>
    public static string SqlText(string timestamp) =>
        $@"regexp_replace(strftime({timestamp}, '%Y-%m-%dT%H:%M:%S.%f'), '\.?0+$', '') || 'Z'";
}

/// <summary>The converters all JSON this system writes shares, stored definitions and HTTP answers alike.</summary>
public static class JsonConventions
{
    /// <summary>Enums as camelCase text (<see cref="CamelCaseEnumConverter"/>), instants as <see cref="WireTime"/>.</summary>
    public static JsonSerializerOptions AddConverters(JsonSerializerOptions options)
    {
        options.Converters.Add(new CamelCaseEnumConverter());
        options.Converters.Add(new WireTimeJsonConverter());
        return options;
    }
}

/// <summary><see cref="WireTime"/> for serialized contracts, so a DTO's instants look like the hand-written answers'.</summary>
public sealed class WireTimeJsonConverter : JsonConverter<DateTimeOffset>
{
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.GetDateTimeOffset();

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) => WireTime.Write(writer, value);
}
