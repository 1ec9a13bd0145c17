using System.Text.Json;
using FeatureStore.Domain;
using FeatureStore.FeatureApi.Serving;

namespace FeatureStore.UnitTests.Serving;

public class FeatureReadingsTests
{
    [Fact]
    public void A_reading_gives_back_its_value_status_and_instant()
    {
        var value = JsonElement.Parse("1.5");
        var at = new DateTimeOffset(2026, 2, 28, 23, 30, 0, TimeSpan.FromHours(-5)).AddTicks(7);
        var reading = new FeatureReading(value, FeatureStatus.Present, at);
        Assert.Equal(1.5, reading.Value!.Value.GetDouble());
        Assert.Equal(FeatureStatus.Present, reading.Status);
        Assert.Equal(at, reading.EventTime); // the same instant
        Assert.Equal(TimeSpan.Zero, reading.EventTime!.Value.Offset);
        Assert.Equal(DateTimeOffset.MinValue, new FeatureReading(null, FeatureStatus.NullValue, DateTimeOffset.MinValue).EventTime);
    }

    [Fact]
    public void No_value_and_no_time_stay_none_and_a_json_null_stays_a_value()
    {
        var missing = new FeatureReading(null, FeatureStatus.NotFound, null);
        Assert.Null(missing.Value);
        Assert.Null(missing.EventTime);
        Assert.Null(default(FeatureReading).Value);
        var jsonNull = new FeatureReading(JsonElement.Parse("null"), FeatureStatus.NullValue, null);
        Assert.Equal(JsonValueKind.Null, jsonNull.Value!.Value.ValueKind);
    }

    [Fact]
    public void Readings_are_laid_out_output_by_output()
    {
        var readings = new FeatureReadings(3, 2);
        for (var o = 0; o < 3; o++)
            for (var row = 0; row < 2; row++)
                readings[o, row] = new FeatureReading(null, (FeatureStatus)((o * 2 + row) % 4), null);
        Assert.Equal(6, readings.All.Length);
        Assert.Equal([readings[1, 0], readings[1, 1]], readings.Column(1).ToArray());
        Assert.Equal(readings[2, 1].Status, readings.All[5].Status);
    }
}
