using System.Text.Json;
using FeatureStore.Domain;

namespace FeatureStore.FeatureApi.Serving;

/// <summary>
/// An online read, column by column: per output feature (in request order) one reading per entity row. The
/// endpoints write it straight to the response in their own shape (<see cref="OnlineResponseJson"/>), so no
/// per-row dictionaries are built on the hot path. <see cref="Withheld"/>: when a service reads on a caller's behalf, the
/// features that caller may not see (<see cref="FeatureSelector.WithheldAsync"/>). <see cref="FeatureTypes"/>: each output's
/// declared type, for answers typed by it (Feast's gRPC values).
/// </summary>
public sealed record OnlineReadResult(
    IReadOnlyList<string> FeatureNames,
    IReadOnlyList<JsonEncodedText> EncodedFeatureNames,
    IReadOnlyList<FeatureValueType> FeatureTypes,
    IReadOnlyDictionary<string, List<JsonElement>> Entities,
    int RowCount,
    FeatureReadings Readings,
    IReadOnlyList<string>? Withheld = null);

/// <summary>The JSON shapes of an online read: ours (row-major, as <c>OnlineFeaturesResponseDto</c>) and Feast's (column-major).</summary>
public static class OnlineResponseJson
{
    /// <summary>Writes the answer straight into the response body (200, JSON), in ours or Feast's shape.</summary>
    public static async Task SendAsync(Microsoft.AspNetCore.Http.HttpResponse response, OnlineReadResult result,
        bool feast, CancellationToken cancellationToken)
    {
        response.StatusCode = 200;
        response.ContentType = "application/json; charset=utf-8";
        await using (var writer = new Utf8JsonWriter(response.BodyWriter))
        {
            if (feast) WriteFeast(writer, result);
            else WriteRows(writer, result);
        }
        await response.BodyWriter.FlushAsync(cancellationToken);
    }

    /// <summary>Each status's wire name, escaped once.</summary>
    private static readonly JsonEncodedText[] StatusText =
        Enum.GetValues<FeatureStatus>().Select(s => JsonEncodedText.Encode(s.WireName())).ToArray();

    /// <summary>Feast reports a missing time (and every entity column's) as the epoch.</summary>
    private static readonly DateTimeOffset NoTime = DateTimeOffset.UnixEpoch;

    /// <summary><c>{"featureNames": [...], "results": [{"entity": {...}, "values": {...}, "statuses": {...}, "eventTimestamps":
    /// {...}}]}</c>.</summary>
    public static void WriteRows(Utf8JsonWriter writer, OnlineReadResult result)
    {
        writer.WriteStartObject();
        WriteNames(writer, "featureNames", result.FeatureNames);
        writer.WriteStartArray("results");
        for (var row = 0; row < result.RowCount; row++) WriteRow(writer, result, row, "eventTimestamps");
        writer.WriteEndArray();
        if (result.Withheld is not null) WriteNames(writer, "withheld", result.Withheld);
        writer.WriteEndObject();
    }

    /// <summary>Feature Store 2.0's <c>{"features": [{"entity", "values", "statuses", "event_timestamps"}], "metadata":
    /// {"feature_names", "latency_ms"}}</c>: one object per entity row, in request order.</summary>
    public static void WriteServing(Utf8JsonWriter writer, OnlineReadResult result, double latencyMs)
    {
        writer.WriteStartObject();
        writer.WriteStartArray("features");
        for (var row = 0; row < result.RowCount; row++) WriteRow(writer, result, row, "event_timestamps");
        writer.WriteEndArray();
        writer.WriteStartObject("metadata");
        WriteNames(writer, "feature_names", result.FeatureNames);
        writer.WriteNumber("latency_ms", Math.Round(latencyMs, 3));
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    /// <summary>One entity row: <c>{"entity", "values", "statuses", eventTimestamps}</c> (the last named as each shape names it).
    /// </summary>
    private static void WriteRow(Utf8JsonWriter writer, OnlineReadResult result, int row, string eventTimestamps)
    {
        writer.WriteStartObject();
        writer.WriteStartObject("entity");
        foreach (var (name, values) in result.Entities)
        {
            writer.WritePropertyName(name);
            values[row].WriteTo(writer);
        }
        writer.WriteEndObject();
        writer.WriteStartObject("values");
        var names = result.EncodedFeatureNames;
        for (var f = 0; f < names.Count; f++)
        {
            writer.WritePropertyName(names[f]);
            WriteValue(writer, result.Readings[f, row].Value);
        }
        writer.WriteEndObject();
        writer.WriteStartObject("statuses");
        for (var f = 0; f < names.Count; f++) writer.WriteString(names[f], StatusText[(int)result.Readings[f, row].Status]);
        writer.WriteEndObject();
        writer.WriteStartObject(eventTimestamps);
        // A row's features mostly share a few event times (one per view): each is formatted once and its text reused.
        Span<byte> time = stackalloc byte[WireTime.MaxJsonLength];
        var (timeLength, timeOf) = (0, default(DateTimeOffset?));
        for (var f = 0; f < names.Count; f++)
        {
            writer.WritePropertyName(names[f]);
            var at = result.Readings[f, row].EventTime;
            if (at is not { } t) writer.WriteNullValue();
            else
            {
                if (at != timeOf) (timeLength, timeOf) = (WireTime.FormatJson(t, time), at);
                WireTime.WriteJson(writer, time[..timeLength]);
            }
        }
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    /// <summary>Feast's <c>{"metadata": {"feature_names": [...]}, "results": [{"values", "statuses", "event_timestamps"}]}</c>, entity
    /// columns first.</summary>
    public static void WriteFeast(Utf8JsonWriter writer, OnlineReadResult result)
    {
        writer.WriteStartObject();
        writer.WriteStartObject("metadata");
        WriteNames(writer, "feature_names", [.. result.Entities.Keys, .. result.FeatureNames]);
        writer.WriteEndObject();
        writer.WriteStartArray("results");
        foreach (var values in result.Entities.Values)
        {
            writer.WriteStartObject();
            writer.WriteStartArray("values");
            foreach (var value in values) value.WriteTo(writer);
            writer.WriteEndArray();
            writer.WriteStartArray("statuses");
            for (var row = 0; row < result.RowCount; row++) writer.WriteStringValue(FeatureStatus.Present.WireName());
            writer.WriteEndArray();
            writer.WriteStartArray("event_timestamps");
            for (var row = 0; row < result.RowCount; row++) WriteTime(writer, NoTime);
            writer.WriteEndArray();
            writer.WriteEndObject();
        }
        for (var f = 0; f < result.Readings.Outputs; f++)
        {
            var column = result.Readings.Column(f);
            writer.WriteStartObject();
            writer.WriteStartArray("values");
            foreach (var reading in column) WriteValue(writer, reading.Value);
            writer.WriteEndArray();
            writer.WriteStartArray("statuses");
            foreach (var reading in column) writer.WriteStringValue(StatusText[(int)reading.Status]);
            writer.WriteEndArray();
            writer.WriteStartArray("event_timestamps");
            foreach (var reading in column) WriteTime(writer, reading.EventTime ?? NoTime);
            writer.WriteEndArray();
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private static void WriteNames(Utf8JsonWriter writer, string property, IReadOnlyList<string> names)
    {
        writer.WriteStartArray(property);
        foreach (var name in names) writer.WriteStringValue(name);
        writer.WriteEndArray();
    }

    private static void WriteValue(Utf8JsonWriter writer, JsonElement? value)
    {
        if (value is { } present) present.WriteTo(writer);
        else writer.WriteNullValue();
    }

    private static void WriteTime(Utf8JsonWriter writer, DateTimeOffset? time)
    {
        if (time is { } t) WireTime.Write(writer, t);
        else writer.WriteNullValue();
    }
}
