using System.Net.Http.Json;
using System.Text.Json;
using FeatureStore.Contracts;
using FeatureStore.Domain;
using FeatureStore.IntegrationTests.Messaging;
using FeatureStore.IntegrationTests.Registry;
using FeatureStore.IntegrationTests.Services;

namespace FeatureStore.IntegrationTests.Monitoring;

/// <summary>What feature-api serves, monitored: usage and latency summed across two processes, feature logging at its rate,
/// (drift: <c>MonitoringTests.Drift</c>).</summary>
public sealed partial class MonitoringTests
{
    [Fact]
    public async Task Usage_and_serving_metrics_sum_what_two_feature_api_processes_served()
    {
        await cluster.StartAsync();
        using var registry = cluster.Registry.CreateClient();
        var cancel = TestContext.Current.CancellationToken;
        const string project = "usage";
        var key = $"sources/{project}/reads.parquet";
        var since = DateTime.UtcNow.AddMinutes(-1);
        await cluster.PutSourceAsync(key, await SourceData.ToParquetAsync(new CustomerStatsRow[]
        {
            new() { customer_id = 1, event_timestamp = since.AddHours(-1), purchases = 4, avg_basket = 2.5, segment = "a" },
        }));
        await Repositories.ApplyAsync(registry, Repositories.Customers(project,
            new TestView("reads", key, "1d", ("purchases", "int64"), ("avg_basket", "float64"))));
        await Materializations.MaterializeAsync(registry, project, "reads", since.AddDays(-1), since, cluster.Diagnostics);
        var second = await cluster.StartFeatureApiAsync();

        async Task ReadAsync(ServiceProcess featureApi, long[] customers)
        {
            using var http = featureApi.CreateClient();
            await http.PostForJsonAsync("api/v1/online-features", new
            {
                project, features = new[] { "reads:purchases", "reads:avg_basket" },
                entities = new Dictionary<string, long[]> { ["customer_id"] = customers },
            }, cancel);
        }
        for (var i = 0; i < 3; i++) await ReadAsync(cluster.FeatureApi, [1, 99]); // one found, one missing
        for (var i = 0; i < 2; i++) await ReadAsync(second, [1]);

        var window = $"project={project}&start={Uri.EscapeDataString(since.ToString("O"))}";
        JsonElement usage = default;
        await RetryAndErrorQueueTests.Eventually(async () =>
        {
            usage = await registry.GetForJsonAsync($"api/v1/monitoring/usage?{window}", cancel);
            return usage.GetProperty("totals").GetProperty("requests").GetInt64() >= 5;
        }, "both feature-api processes to report their reads", 60, cluster.Diagnostics);
        var totals = usage.GetProperty("totals");
        Assert.Equal((5L, 8L, 16L), (totals.GetProperty("requests").GetInt64(), totals.GetProperty("entityRows").GetInt64(),
            totals.GetProperty("featuresRead").GetInt64()));
        var purchases = usage.GetProperty("features").EnumerateArray()
            .Single(f => f.GetProperty("feature").GetString() == "reads:purchases");
        long Count(string name) => purchases.GetProperty(name).GetInt64();
        Assert.Equal((5L, 8L, 5L, 3L), (Count("requests"), Count("entityRows"), Count("hits"), Count("misses")));
        Assert.Equal(0.625, purchases.GetProperty("hitRate").GetDouble());
        var endpoint = Assert.Single(usage.GetProperty("endpoints").EnumerateArray());
        Assert.Equal(("online-features", 5L), (endpoint.GetProperty("name").GetString(), endpoint.GetProperty("requests").GetInt64()));
        Assert.Equal(5L, Assert.Single(usage.GetProperty("principals").EnumerateArray()).GetProperty("requests").GetInt64());

        var metrics = await registry.GetForJsonAsync($"api/v1/monitoring/metrics?{window}&step=1m", cancel);
        var online = metrics.GetProperty("endpoints").EnumerateArray()
            .Single(e => e.GetProperty("endpoint").GetString() == "online-features");
        var total = online.GetProperty("total");
        Assert.True(total.GetProperty("requests").GetInt64() >= 5);
        Assert.Equal(0.625, total.GetProperty("hitRate").GetDouble());
        Assert.InRange(total.GetProperty("p50Ms").GetDouble(), 0, total.GetProperty("p99Ms").GetDouble());
        Assert.Equal(total.GetProperty("requests").GetInt64(),
            online.GetProperty("points").EnumerateArray().Sum(p => p.GetProperty("requests").GetInt64()));
        var step = await registry.GetAnswerAsync($"api/v1/monitoring/metrics?{window}&step=1s");
        Assert.Equal(400, step.Status);
        Assert.Equal(["step"], step.ErrorFields);
    }

    [Fact]
    public async Task Feature_logging_writes_what_a_service_served_at_its_sample_rate()
    {
        await cluster.StartAsync();
        using var registry = cluster.Registry.CreateClient();
        using var featureApi = cluster.FeatureApi.CreateClient();
        var cancel = TestContext.Current.CancellationToken;
        const string project = "logging";
        var key = $"sources/{project}/logged.parquet";
        var since = DateTime.UtcNow.AddMinutes(-1);
        await cluster.PutSourceAsync(key, await SourceData.ToParquetAsync(new CustomerStatsRow[]
        {
            new() { customer_id = 1, event_timestamp = since.AddHours(-2), purchases = 4, avg_basket = 2.5 },
            new() { customer_id = 2, event_timestamp = since.AddHours(-1), purchases = 7, avg_basket = null },
        }));
        var repository = Repositories.Customers(project,
            new TestView("logged", key, "1d", ("purchases", "int64"), ("avg_basket", "float64")));
        repository.FeatureServices =
        [
            new FeatureServiceDto { Name = "all_logged", Features = ["logged"], Logging = new FeatureLoggingDto { SampleRate = 1 } },
            new FeatureServiceDto
            {
                Name = "quarter_logged", Features = ["logged:purchases"], Logging = new FeatureLoggingDto { SampleRate = 0.25 },
            },
        ];
        await Repositories.ApplyAsync(registry, repository);
        await Materializations.MaterializeAsync(registry, project, "logged", since.AddDays(-1), since, cluster.Diagnostics);

        Task ReadAsync(string service, long[] customers) => featureApi.PostForJsonAsync("api/v1/online-features", new
        {
            project, featureService = service, entities = new Dictionary<string, long[]> { ["customer_id"] = customers },
        }, cancel);
        for (var i = 0; i < 400; i++) await ReadAsync("quarter_logged", [1]);
        for (var i = 0; i < 4; i++) await ReadAsync("all_logged", [1, 2, 99]);

        var window = $"project={project}&start={Uri.EscapeDataString(since.ToString("O"))}";
        long Rows(JsonElement log) => log.GetProperty("rows").GetInt64();
        JsonElement all = default, quarter = default;
        long previous = -1;
        await RetryAndErrorQueueTests.Eventually(async () =>
        {
            all = await registry.GetForJsonAsync($"api/v1/feature-services/all_logged/logs?{window}", cancel);
            quarter = await registry.GetForJsonAsync($"api/v1/feature-services/quarter_logged/logs?{window}", cancel);
            var settled = Rows(all) == 12 && Rows(quarter) > 0 && Rows(quarter) == previous;
            previous = Rows(quarter);
            if (!settled) await Task.Delay(1500, cancel);
            return settled;
        }, "both services' logs to be written and catalogued", 60, cluster.Diagnostics);
        Assert.InRange(Rows(quarter), 60, 140); // 400 reads at 0.25: 100 expected, 8.7 standard deviations of binomial noise

        var rows = new List<object?[]>();
        foreach (var file in all.GetProperty("files").EnumerateArray())
        {
            await using var stream = await cluster.Objects.OpenReadAsync(file.GetProperty("path").GetString()!, cancel);
            using var bytes = new MemoryStream();
            await stream.CopyToAsync(bytes, cancel);
            rows.AddRange(StoredParquet.Read(bytes.ToArray(), """
                SELECT customer_id, logged__purchases, logged__purchases__status, logged__avg_basket, logged__avg_basket__status,
                       __request_id IS NOT NULL, epoch(__log_timestamp) > epoch(logged__purchases__timestamp)
                FROM file ORDER BY customer_id
                """));
        }
        Assert.Equal(12, rows.Count);
        Assert.All(rows.Where(r => r[2] is "PRESENT"), r => Assert.Equal((true, true), ((bool)r[5]!, (bool)r[6]!))); // logged after made
        Assert.Equal([(1L, 4L, "PRESENT"), (2L, 7L, "PRESENT"), (99L, (long?)null, "NOT_FOUND")],
            rows.Select(r => ((long)r[0]!, (long?)r[1], (string)r[2]!)).Distinct());
        Assert.Equal(["PRESENT", "NULL_VALUE", "NOT_FOUND"], rows.Select(r => (string)r[4]!).Distinct());
    }
}
