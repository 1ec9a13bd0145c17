using System.Globalization;
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
    private const string Format = "yyyy-MM-dd'T'HH:mm:ss.FFFFFF'Z'";
    private const int MaxLength = 27; // "2024-05-01T12:00:00.123456Z"

    public static string Text(DateTimeOffset at) => at.UtcDateTime.ToString(Format, CultureInfo.InvariantCulture);

    /// <summary>Writes <paramref name="at"/> as a JSON string without allocating (the online answer writes many).</summary>
    public static void Write(Utf8JsonWriter writer, DateTimeOffset at)
    {
        Span<char> text = stackalloc char[MaxLength];
        at.UtcDateTime.TryFormat(text, out var length, Format, CultureInfo.InvariantCulture);
        writer.WriteStringValue(text[..length]);
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
