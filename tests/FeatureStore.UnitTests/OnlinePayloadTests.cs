using FeatureStore.Domain;
using FeatureStore.Storage.Online;

namespace FeatureStore.UnitTests;

public sealed class OnlinePayloadTests
{
    private static readonly DateTimeOffset T = new(2024, 3, 1, 8, 30, 0, TimeSpan.Zero);

    [Fact]
    public void Round_trips_time_and_values()
    {
        var payload = OnlinePayload.Encode(new RowTime(T, T.AddSeconds(5)), ["purchases", "segment", "missing"], [7L, "gold", null]);
        var entry = OnlinePayload.Decode(payload);
        Assert.Equal(new RowTime(T, T.AddSeconds(5)), entry.Time);
        Assert.True(entry.TryGetValue("purchases", out var purchases));
        Assert.Equal(7, purchases.GetInt64());
        Assert.True(entry.TryGetValue("missing", out var missing));
        Assert.Equal(System.Text.Json.JsonValueKind.Null, missing.ValueKind);
        Assert.False(entry.TryGetValue("other", out _));
    }

    [Fact]
    public void The_prefix_orders_payloads_by_row_time()
    {
        var older = OnlinePayload.Encode(new RowTime(T), ["f"], [1L]);
        var newer = OnlinePayload.Encode(new RowTime(T.AddTicks(10)), ["f"], [0L]);
        Assert.True(older.AsSpan(0, OnlinePayload.TimePrefixLength).SequenceCompareTo(newer.AsSpan(0, OnlinePayload.TimePrefixLength)) < 0);
    }

    [Fact]
    public void Names_and_values_must_match() =>
        Assert.Throws<ArgumentException>(() => OnlinePayload.Encode(new RowTime(T), ["a", "b"], [1L]));
}
