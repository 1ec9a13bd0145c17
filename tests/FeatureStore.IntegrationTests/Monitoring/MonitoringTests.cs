using System.Net.Http.Json;
using System.Text.Json;
using FeatureStore.Contracts;
using FeatureStore.Domain;
using FeatureStore.IntegrationTests.Messaging;
using FeatureStore.IntegrationTests.Registry;
using FeatureStore.IntegrationTests.Services;

namespace FeatureStore.IntegrationTests.Monitoring;

/// <summary>
/// The monitoring API through the real services. Freshness: a view with a TTL and a freshness objective is stale before any
/// run, ok after one, late and then stale as time passes (the endpoint's <c>at</c>: a clock the test controls), ok again after
/// a run with newer rows. Statistics form a series across runs. Usage and serving metrics sum two feature-api processes.
/// </summary>
public sealed partial class MonitoringTests(ServiceCluster cluster) : IClassFixture<ServiceCluster>
{
    private const string Project = "freshness";
    private const string View = "activity";

    [Fact]
    public async Task Freshness_follows_the_newest_value_against_ttl_and_objective_and_statistics_form_a_series()
    {
        await cluster.StartAsync();
        using var registry = cluster.Registry.CreateClient();
        var cancel = TestContext.Current.CancellationToken;
        var clock = DateTime.UtcNow;
        var now = new DateTime(clock.Ticks - clock.Ticks % TimeSpan.TicksPerSecond, DateTimeKind.Utc);
        var key = $"sources/{Project}/{View}.parquet";
        List<CustomerStatsRow> rows =
        [
            new() { customer_id = 1, event_timestamp = now.AddHours(-3), purchases = 1, avg_basket = 10, segment = "a" },
            new() { customer_id = 2, event_timestamp = now.AddMinutes(-90), purchases = 3, avg_basket = null, segment = "b" },
        ];
        await cluster.PutSourceAsync(key, await SourceData.ToParquetAsync(rows));
        var repository = Repositories.Customers(Project,
            new TestView(View, key, "6h", ("purchases", "int64"), ("avg_basket", "float64"), ("segment", "string")));
        repository.FeatureViews![0]!.Freshness = "2h";
        await Repositories.ApplyAsync(registry, repository);

        var before = await FreshnessAsync(registry, null);
        Assert.Equal("stale", before.GetProperty("status").GetString());
        Assert.Equal("never materialized", before.GetProperty("reason").GetString());
        Assert.Equal("2h", before.GetProperty("freshness").GetString());

        await Materializations.MaterializeAsync(registry, Project, View, now.AddDays(-1), now, cluster.Diagnostics);
        var after = await FreshnessAsync(registry, null);
        Assert.Equal("ok", after.GetProperty("status").GetString());
        Assert.Equal(now.AddMinutes(-90), after.GetProperty("newestEventTime").GetDateTime().ToUniversalTime());
        Assert.InRange(after.GetProperty("ageSeconds").GetDouble(), 90 * 60, 100 * 60);
        Assert.NotEqual(JsonValueKind.Null, after.GetProperty("lastSuccessAt").ValueKind);

        var inAnHour = await FreshnessAsync(registry, now.AddHours(1));
        Assert.Equal("late", inAnHour.GetProperty("status").GetString()); // 2 h 30 min old: past the 2 h objective
        Assert.Contains("freshness objective of 2h", inAnHour.GetProperty("reason").GetString());
        var inFiveHours = await FreshnessAsync(registry, now.AddHours(5));
        Assert.Equal("stale", inFiveHours.GetProperty("status").GetString()); // 6 h 30 min old: past the 6 h TTL
        Assert.True(inFiveHours.GetProperty("ageOverTtl").GetDouble() > 1);

        rows.Add(new() { customer_id = 1, event_timestamp = now.AddMinutes(-10), purchases = 10, avg_basket = 20, segment = "a" });
        await cluster.PutSourceAsync(key, await SourceData.ToParquetAsync(rows));
        await Materializations.MaterializeAsync(registry, Project, View, now.AddDays(-1), now, cluster.Diagnostics);
        Assert.Equal("ok", (await FreshnessAsync(registry, now.AddHours(1))).GetProperty("status").GetString());

        var series = await registry.GetForJsonAsync($"api/v1/monitoring/statistics?project={Project}&view={View}&days=1", cancel);
        Assert.Equal(2, series.GetProperty("runs").GetArrayLength());
        var purchases = Feature(series, "purchases");
        Assert.Equal([2L, 3L], purchases.Select(p => p.GetProperty("count").GetInt64()));
        Assert.Equal([2.0, 14.0 / 3], purchases.Select(p => Math.Round(p.GetProperty("mean").GetDouble(), 9)),
            (a, b) => Math.Abs(a - b) < 1e-6);
        var basket = Feature(series, "avg_basket");
        Assert.Equal([0.5, 1.0 / 3], basket.Select(p => p.GetProperty("nullRate").GetDouble()), (a, b) => Math.Abs(a - b) < 1e-9);
        var one = await registry.GetForJsonAsync($"api/v1/monitoring/statistics?project={Project}&view={View}&feature=segment", cancel);
        Assert.Equal(["segment"], one.GetProperty("features").EnumerateArray().Select(f => f.GetProperty("feature").GetString()));
    }

    [Fact]
    public async Task Monitoring_requests_name_what_is_wrong()
    {
        await cluster.StartAsync();
        using var registry = cluster.Registry.CreateClient();
        var unknown = await registry.GetAnswerAsync($"api/v1/monitoring/statistics?project={Project}&view=nothing_here");
        Assert.Equal(404, unknown.Status);
        Assert.Equal(["view"], unknown.ErrorFields);
        var days = await registry.GetAnswerAsync($"api/v1/monitoring/statistics?project={Project}&view={View}&days=0");
        Assert.Equal(400, days.Status);
        Assert.Equal(["days"], days.ErrorFields);
        var at = await registry.GetAnswerAsync("api/v1/monitoring/data-freshness?at=yesterday");
        Assert.Equal(400, at.Status);
        Assert.Equal(["at"], at.ErrorFields);
        Assert.Equal(404, (await registry.GetAnswerAsync("api/v1/monitoring/data-freshness?view=nothing_here")).Status);
        var repository = Repositories.Customers("freshness_bad",
            new TestView("v", "sources/freshness_bad/v.parquet", "1h", ("x", "int64")));
        repository.FeatureViews![0]!.Freshness = "soon";
        var bad = await Answer.ReadAsync(await registry.PostAsync("api/v1/apply",
            JsonContent.Create(repository, options: DefinitionJson.Options), TestContext.Current.CancellationToken));
        Assert.Equal(400, bad.Status);
        Assert.Equal(["featureViews[0].freshness"], bad.ErrorFields);
    }

    private static async Task<JsonElement> FreshnessAsync(HttpClient registry, DateTime? at)
    {
        var query = at is { } t ? $"&at={Uri.EscapeDataString(t.ToString("O"))}" : "";
        var board = await registry.GetForJsonAsync($"api/v1/monitoring/data-freshness?project={Project}{query}",
            TestContext.Current.CancellationToken);
        return board.GetProperty("views").EnumerateArray().Single(v => v.GetProperty("view").GetString() == View);
    }

    private static List<JsonElement> Feature(JsonElement series, string name) =>
        series.GetProperty("features").EnumerateArray().Single(f => f.GetProperty("feature").GetString() == name)
            .GetProperty("points").EnumerateArray().ToList();
}
