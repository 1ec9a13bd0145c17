using System.Text.Json;
using FeatureStore.Client;
using FeatureStore.Contracts;
using FeatureStore.Domain;
using Microsoft.Data.Analysis;

namespace FeatureStore.UnitTests.Sdk;

/// <summary>Answers as DataFrames: each column typed by its values, nulls kept, online answers with their entity columns.</summary>
public sealed class FeatureFramesTests
{
    [Fact]
    public void Historical_rows_become_typed_columns_with_their_nulls()
    {
        IReadOnlyList<IReadOnlyDictionary<string, object?>> rows =
        [
            new Dictionary<string, object?>
            {
                ["customer_id"] = 1L, ["event_timestamp"] = "2026-12-01T10:00:00Z", ["label"] = true, ["spend"] = 3L,
                ["rate"] = 0.5, ["channel"] = "web",
            },
            new Dictionary<string, object?>
            {
                ["customer_id"] = 2L, ["event_timestamp"] = "2026-12-02T11:30:00.25+01:00", ["label"] = false, ["spend"] = 4.5,
                ["rate"] = null, ["channel"] = "2024-01",
            },
        ];
        var frame = rows.ToDataFrame();
        Assert.Equal(["customer_id", "event_timestamp", "label", "spend", "rate", "channel"], frame.Columns.Select(c => c.Name));
        Assert.Equal([typeof(long), typeof(DateTime), typeof(bool), typeof(double), typeof(double), typeof(string)],
            frame.Columns.Select(c => c.DataType));
        Assert.Equal(new DateTime(2026, 12, 2, 10, 30, 0, 250, DateTimeKind.Utc), frame.Columns["event_timestamp"][1]);
        Assert.Equal(4.5, frame.Columns["spend"][1]);
        Assert.Null(frame.Columns["rate"][1]);
        Assert.Equal(1, frame.Columns["rate"].NullCount);
        Assert.Equal(2, frame.Rows.Count);
    }

    [Fact]
    public void Online_features_come_after_their_entity_columns()
    {
        var answer = new OnlineFeatures(new OnlineFeaturesResponseDto(["purchases"],
        [
            Row(1, JsonDocument.Parse("7").RootElement, FeatureStatus.Present),
            Row(9, null, FeatureStatus.NotFound),
        ]));
        var frame = answer.ToDataFrame();
        Assert.Equal(["customer_id", "purchases"], frame.Columns.Select(c => c.Name));
        Assert.Equal([7L, null], frame.Columns["purchases"].Cast<object?>());
        Assert.Equal(typeof(long), frame.Columns["customer_id"].DataType);
    }

    private static OnlineFeatureRowDto Row(long customer, JsonElement? purchases, FeatureStatus status) => new(
        new Dictionary<string, JsonElement> { ["customer_id"] = JsonSerializer.SerializeToElement(customer) },
        new Dictionary<string, JsonElement?> { ["purchases"] = purchases },
        new Dictionary<string, FeatureStatus> { ["purchases"] = status },
        new Dictionary<string, DateTimeOffset?> { ["purchases"] = null });
}
