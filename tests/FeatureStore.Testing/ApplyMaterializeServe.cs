using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FeatureStore.Contracts;
using FeatureStore.Domain;
using Xunit;

namespace FeatureStore.Testing;

/// <summary>
/// The shortest whole walk through the product, over HTTP against any deployment (separate processes, the
/// standalone host, the Aspire AppHost): sources in the object store → apply two views → materialize
/// → online features, with answers known in advance (window edges, ties, nulls, TTL, missing rows).
/// </summary>
public static class ApplyMaterializeServe
{
    /// <param name="putSource">Stores a source object under a key (the deployment's object store).</param>
    public static async Task WalkAsync(HttpClient registry, HttpClient featureApi, Func<string, byte[], Task> putSource, string project,
        Func<string>? diagnostics = null)
    {
        var now = DateTime.UtcNow;
        var start = now.AddDays(-3);
        var statsKey = $"sources/{project}/customer_stats.parquet";
        var flagsKey = $"sources/{project}/customer_flags.parquet";
        await putSource(statsKey, await SourceData.ToParquetAsync(new CustomerStatsRow[]
        {
            new() { customer_id = 1, event_timestamp = now.AddDays(-2), purchases = 5, avg_basket = 10, segment = "new" },
            new() { customer_id = 1, event_timestamp = now.AddDays(-1), purchases = 7, avg_basket = 11, segment = "regular" },
            new() { customer_id = 2, event_timestamp = now.AddDays(-1), purchases = null, avg_basket = 12.5, segment = "gold" },
            new() { customer_id = 3, event_timestamp = now.AddDays(-5), purchases = 30, avg_basket = 1, segment = "gone" },
            // Same event time: the row created later wins, whatever the file order.
            new() { customer_id = 4, event_timestamp = now.AddDays(-1), created = now.AddDays(-1).AddMinutes(2), purchases = 41,
                avg_basket = 4, segment = "b" },
            new() { customer_id = 4, event_timestamp = now.AddDays(-1), created = now.AddDays(-1).AddMinutes(1), purchases = 40,
                avg_basket = 4, segment = "a" },
            // Exactly on the window's start: included (the window is inclusive).
            new() { customer_id = 5, event_timestamp = start, purchases = 50, avg_basket = 5, segment = "edge" },
        }));
        await putSource(flagsKey, await SourceData.ToParquetAsync(new CustomerFlagsRow[]
        {
            // 90 minutes old with a 1 h TTL: stale, yet not expired (the online store keeps values for twice the TTL).
            new() { customer_id = 1, event_timestamp = now.AddMinutes(-90), is_active = false },
            new() { customer_id = 2, event_timestamp = now.AddMinutes(-10), is_active = true },
        }));

        var applied = await Repositories.ApplyAsync(registry, Repositories.Customers(project,
            new TestView("customer_stats", statsKey, "10d", ("purchases", "int64"), ("avg_basket", "float64"), ("segment", "string")),
            new TestView("customer_flags", flagsKey, "1h", ("is_active", "bool")) { CreatedField = null }));
        Assert.Equal(5, applied.Summary.Create); // entity, two sources, two views

        var statsJob = await Materializations.MaterializeAsync(registry, project, "customer_stats", start, now, diagnostics);
        Assert.Equal(7, statsJob.RowsRead);
        Assert.Equal(4, statsJob.RowsWritten);
        var flagsJob = await Materializations.MaterializeAsync(registry, project, "customer_flags", start, now, diagnostics);
        Assert.Equal(2, flagsJob.RowsWritten);

        var rows = (await featureApi.PostForJsonAsync("api/v1/online-features", new
        {
            project,
            entities = new Dictionary<string, long[]> { ["customer_id"] = [1, 2, 3, 4, 5] },
            features = new[] { "customer_stats:purchases", "customer_stats:segment", "customer_flags:is_active" },
        })).GetProperty("results");
        Assert.Equal(5, rows.GetArrayLength());

        AssertFeature(rows[0], "purchases", 7L, "PRESENT", now.AddDays(-1));
        AssertFeature(rows[0], "segment", "regular", "PRESENT", now.AddDays(-1));
        AssertFeature(rows[0], "is_active", null, "OUTSIDE_MAX_AGE", now.AddMinutes(-90)); // 90 min old, TTL 1 h
        AssertFeature(rows[1], "purchases", null, "NULL_VALUE", now.AddDays(-1));
        AssertFeature(rows[1], "is_active", true, "PRESENT", now.AddMinutes(-10));
        AssertFeature(rows[2], "purchases", null, "NOT_FOUND", null);              // only row is before the window
        AssertFeature(rows[3], "purchases", 41L, "PRESENT", now.AddDays(-1));       // later created time wins the tie
        AssertFeature(rows[4], "segment", "edge", "PRESENT", start);                 // inclusive start
        AssertFeature(rows[4], "is_active", null, "NOT_FOUND", null);
    }

    private static void AssertFeature(JsonElement row, string feature, object? value, string status, DateTime? eventTime)
    {
        var entity = row.GetProperty("entity").GetProperty("customer_id").GetInt64();
        var where = $"customer {entity}, {feature}";
        Assert.True(status == row.GetProperty("statuses").GetProperty(feature).GetString(),
            $"{where}: status {row.GetProperty("statuses").GetProperty(feature)}, expected {status}");
        var actual = row.GetProperty("values").GetProperty(feature);
        switch (value)
        {
            case null: Assert.True(actual.ValueKind == JsonValueKind.Null, $"{where}: value {actual}, expected null"); break;
            case long l:
                Assert.True(actual.ValueKind == JsonValueKind.Number && actual.GetInt64() == l,
                    $"{where}: value {actual}, expected {l}"); break;
            case bool b:
                Assert.True(actual.ValueKind == (b ? JsonValueKind.True : JsonValueKind.False),
                    $"{where}: value {actual}, expected {b}"); break;
            case string s:
                Assert.True(actual.ValueKind == JsonValueKind.String && actual.GetString() == s,
                    $"{where}: value {actual}, expected {s}"); break;
        }
        var time = row.GetProperty("eventTimestamps").GetProperty(feature);
        if (eventTime is null) Assert.True(time.ValueKind == JsonValueKind.Null, $"{where}: event time {time}, expected none");
        // Parquet keeps microseconds; compare at that precision.
        else Assert.True(Math.Abs((time.GetDateTimeOffset().UtcDateTime - eventTime.Value).TotalMilliseconds) < 1,
            $"{where}: event time {time}, expected {eventTime:O}");
    }
}
