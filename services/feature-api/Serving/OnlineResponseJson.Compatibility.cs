using System.Text.Json;

namespace FeatureStore.FeatureApi.Serving;

public static partial class OnlineResponseJson
{
    /// <summary>Feature Store 2.0's <c>{"features": [{"entity", "values", "statuses", "event_timestamps"}], "metadata":
    /// {"feature_names", "latency_ms"}}</c>: one object per entity row, in request order.</summary>
    public static void WriteServing(Utf8JsonWriter writer, OnlineReadResult result, double latencyMs)
    {
        writer.WriteStartObject();
        writer.WriteStartArray("features");
        for (var row = 0; row < result.RowCount; row++)
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
            for (var f = 0; f < result.FeatureNames.Count; f++)
            {
                writer.WritePropertyName(result.FeatureNames[f]);
                WriteValue(writer, result.Readings[f][row].Value);
            }
            writer.WriteEndObject();
            writer.WriteStartObject("statuses");
            for (var f = 0; f < result.FeatureNames.Count; f++)
                writer.WriteString(result.FeatureNames[f], StatusText(result.Readings[f][row].Status));
            writer.WriteEndObject();
            writer.WriteStartObject("event_timestamps");
            for (var f = 0; f < result.FeatureNames.Count; f++)
            {
                writer.WritePropertyName(result.FeatureNames[f]);
                WriteTime(writer, result.Readings[f][row].EventTime);
            }
            writer.WriteEndObject();
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
        writer.WriteStartObject("metadata");
        WriteNames(writer, "feature_names", result.FeatureNames);
        writer.WriteNumber("latency_ms", Math.Round(latencyMs, 3));
        writer.WriteEndObject();
        writer.WriteEndObject();
    }
}
