using FeatureStore.IntegrationTests.Security;

namespace FeatureStore.IntegrationTests.Monitoring;

/// <summary>
/// <c>/metrics</c> in Prometheus' text format, scraped from the standalone host after its first-start churn sample (views
/// materialized, a model trained) and some reads and a prediction, and read by a strict parser: names follow Prometheus'
/// conventions, and the families an operator alerts on are there with the right types and labels.
/// </summary>
public sealed class MetricsTests(SecuredSampleHost host) : IClassFixture<SecuredSampleHost>
{
    [Fact]
    public async Task Metrics_are_scraped_in_prometheus_text_and_name_what_an_operator_alerts_on()
    {
        var online = new
        {
            project = "churn", features = new[] { "customer_profile:age" }, entities = new { customer_id = new[] { 1, 2 } },
        };
        Assert.Equal(200, (await host.SendAsync(HttpMethod.Post, "api/v1/online-features", TestCredentials.AdminKey, online)).Status);
        Assert.Equal(200, (await host.SendAsync(HttpMethod.Post, "api/v1/predict/churn", TestCredentials.AdminKey,
            new { customerId = 1 })).Status);

        using var scraper = host.Host.CreateAnonymousClient(); // a scraper holds no key
        using var response = await scraper.GetAsync("metrics", TestContext.Current.CancellationToken);
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.MediaType);
        var (types, samples) = PrometheusText.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));

        foreach (var (family, type) in types.Where(t => t.Key.StartsWith("featurestore_", StringComparison.Ordinal)))
            if (type == "counter") Assert.EndsWith("_total", family);
        Assert.Equal("counter", types["featurestore_materialization_runs_total"]);
        Assert.Equal("histogram", types["featurestore_materialization_duration_seconds"]);
        Assert.Equal("gauge", types["featurestore_materialization_last_success_timestamp_seconds"]);
        Assert.Equal("histogram", types["featurestore_feature_api_request_duration_seconds"]);
        Assert.Equal("counter", types["featurestore_model_predictions_total"]);

        var succeeded = samples.Single(s => s.Name == "featurestore_materialization_runs_total"
            && s.Labels["view"] == "customer_profile" && s.Labels["outcome"] == "succeeded");
        Assert.True(succeeded.Value >= 1);
        var lastSuccess = samples.Single(s => s.Name == "featurestore_materialization_last_success_timestamp_seconds"
            && s.Labels["view"] == "customer_profile" && s.Labels["project"] == "churn");
        Assert.InRange(DateTimeOffset.UtcNow.ToUnixTimeSeconds() - lastSuccess.Value, 0, 600);
        Assert.Contains(samples, s => s.Name == "featurestore_feature_api_request_duration_seconds_bucket" && s.Labels.ContainsKey("le"));
        Assert.Contains(samples, s => s.Name == "featurestore_model_predictions_total" && s.Value >= 1);
    }

    [Fact]
    public async Task The_embedded_registry_reports_the_samples_freshness_and_statistics()
    {
        var board = await host.SendAsync(HttpMethod.Get, "api/v1/monitoring/data-freshness?project=churn", TestCredentials.AdminKey);
        Assert.Equal(200, board.Status);
        var profile = board.Body.GetProperty("views").EnumerateArray()
            .Single(v => v.GetProperty("view").GetString() == "customer_profile");
        Assert.NotEqual(System.Text.Json.JsonValueKind.Null, profile.GetProperty("lastSuccessAt").ValueKind);
        Assert.NotEqual(System.Text.Json.JsonValueKind.Null, profile.GetProperty("newestEventTime").ValueKind);
        Assert.Contains(profile.GetProperty("status").GetString(), new[] { "ok", "late", "stale" });

        var series = await host.SendAsync(HttpMethod.Get, "api/v1/monitoring/statistics?project=churn&view=customer_profile",
            TestCredentials.AdminKey);
        Assert.Equal(200, series.Status);
        Assert.True(series.Body.GetProperty("runs").GetArrayLength() >= 1);
        Assert.Contains(series.Body.GetProperty("features").EnumerateArray(), f => f.GetProperty("feature").GetString() == "age");
    }

    [Fact]
    public async Task Outcomes_judge_the_predictions_made_before_them_per_version()
    {
        var predictions = new Dictionary<int, double>();
        for (var customer = 1; customer <= 40; customer++)
        {
            var prediction = await host.SendAsync(HttpMethod.Post, "api/v1/predict/churn", TestCredentials.AdminKey,
                new { customerId = customer });
            Assert.Equal(200, prediction.Status);
            predictions[customer] = prediction.Body.GetProperty("probability").GetDouble();
        }
        var version = host.Model.GetProperty("promoted").GetInt32();
        // Truth known a minute later: every third customer churned.
        var known = DateTimeOffset.UtcNow.AddMinutes(1);
        bool Churned(int customer) => customer % 3 == 0;
        var recorded = await host.SendAsync(HttpMethod.Post, "api/v1/models/churn/outcomes", TestCredentials.AdminKey, new
        {
            outcomes = predictions.Keys.Select(c => new { customerId = c, churned = Churned(c), at = known }),
        });
        Assert.Equal(200, recorded.Status);

        var churners = predictions.Where(p => Churned(p.Key)).Select(p => p.Value).ToList();
        var stayers = predictions.Where(p => !Churned(p.Key)).Select(p => p.Value).ToList();
        var expectedAuc = churners.Sum(c => stayers.Sum(s => c > s ? 1.0 : c == s ? 0.5 : 0)) / (churners.Count * stayers.Count);
        var window = $"start={Uri.EscapeDataString(DateTimeOffset.UtcNow.AddHours(-1).ToString("O"))}" +
                     $"&end={Uri.EscapeDataString(DateTimeOffset.UtcNow.AddHours(1).ToString("O"))}";
        System.Text.Json.JsonElement total = default;
        await Messaging.RetryAndErrorQueueTests.Eventually(async () =>
        {
            var performance = await host.SendAsync(HttpMethod.Get, $"api/v1/models/churn/performance?{window}", TestCredentials.AdminKey);
            Assert.Equal(200, performance.Status);
            var versions = performance.Body.GetProperty("versions").EnumerateArray().ToList();
            if (versions.Count == 0) return false;
            total = versions.Single(v => v.GetProperty("version").GetInt32() == version).GetProperty("total");
            return total.GetProperty("outcomes").GetInt64() == 40; // the prediction log is written in the background
        }, "the predictions to be logged and judged");
        Assert.Equal(predictions.Keys.Count(Churned), total.GetProperty("churned").GetInt64());
        Assert.Equal(Math.Round(expectedAuc, 6), total.GetProperty("auc").GetDouble(), 6);

        var bad = await host.SendAsync(HttpMethod.Post, "api/v1/models/churn/outcomes", TestCredentials.AdminKey,
            new { outcomes = new[] { new { customerId = 1, churned = (bool?)null, at = known } } });
        Assert.Equal(400, bad.Status);
        Assert.Contains("outcomes[0].churned", bad.ErrorFields);
    }
}
