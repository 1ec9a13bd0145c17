using System.Text;
using System.Text.Json;
using FeatureStore.Domain;

namespace FeatureStore.UnitTests;

public sealed class FeatureValuesTests
{
    [Fact]
    public void Widening_is_allowed_narrowing_only_when_it_fits()
    {
        Assert.Equal(5L, FeatureValues.Normalize(FeatureValueType.Int64, 5));
        Assert.Equal(5, FeatureValues.Normalize(FeatureValueType.Int32, 5L));
        Assert.Throws<FormatException>(() => FeatureValues.Normalize(FeatureValueType.Int32, 5_000_000_000L));
        Assert.Equal(2.5, FeatureValues.Normalize(FeatureValueType.Float64, 2.5f));
    }

    [Theory]
    [InlineData(FeatureValueType.Int64, "text")]
    [InlineData(FeatureValueType.Int64, 1.5)]
    [InlineData(FeatureValueType.Bool, 1)]
    [InlineData(FeatureValueType.String, 3)]
    [InlineData(FeatureValueType.Float64, "2.5")]
    public void Wrong_types_are_refused(FeatureValueType type, object raw) =>
        Assert.Throws<FormatException>(() => FeatureValues.Normalize(type, raw));

    [Fact]
    public void Parquet_timestamps_are_utc()
    {
        var unspecified = new DateTime(2024, 1, 1, 10, 0, 0, DateTimeKind.Unspecified);
        var normalized = (DateTimeOffset)FeatureValues.Normalize(FeatureValueType.Timestamp, unspecified)!;
        Assert.Equal(new DateTimeOffset(2024, 1, 1, 10, 0, 0, TimeSpan.Zero), normalized);
        Assert.Equal(TimeSpan.Zero, normalized.Offset);
    }

    [Fact]
    public void Arrays_become_typed_arrays()
    {
        var embedding = FeatureValues.Normalize(FeatureValueType.Float32Array, new List<object?> { 1.0f, 2, 3.5 });
        Assert.Equal(new[] { 1f, 2f, 3.5f }, embedding);
        Assert.Throws<FormatException>(() => FeatureValues.Normalize(FeatureValueType.Int64Array, "123"));
    }

    [Fact]
    public void Json_shapes_are_stable()
    {
        var json = Write(writer =>
        {
            writer.WriteStartArray();
            foreach (var value in new object?[] { null, 1, 2L, 1.5, true, "x", new byte[] { 1, 2 },
                new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero), new[] { 1f, 2f }, double.NaN })
                FeatureValues.WriteJson(writer, value);
            writer.WriteEndArray();
        });
        Assert.Equal("""[null,1,2,1.5,true,"x","AQI=","2024-01-01T00:00:00Z",[1,2],"NaN"]""", json);
    }

    private static string Write(Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer)) write(writer);
        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
