using System.Text.Json;
using FeatureStore.IntegrationTests.Messaging;
using FeatureStore.Samples.Churn;

namespace FeatureStore.IntegrationTests.Models;

/// <summary>The sample with its behaviour shifted in the last 30 days: what the serving service reads now drifts from what it
/// read before the shift, on the features the shift moves and not on the customers' profile.</summary>
public sealed partial class ChurnModelTests
{
    [Fact]
    public async Task The_shifted_sample_drifts_on_engagement_and_support_and_not_on_the_profile()
    {
        var cancel = TestContext.Current.CancellationToken;
        var project = $"{scenario.Project}_shift";
        var end = scenario.End;
        var objects = scenario.Cluster.Objects;
        await new ChurnSampleRun(scenario.Registry, scenario.ModelApi, objects.PutAsync)
            .RunAsync(new ChurnSampleOptions(ChurnModelScenario.Customers, Seed: 7, end, project, Train: false, ShiftDays: 30), cancel);
        // Every read logged, for a check on all the customers (the sample logs one in ten).
        var everyRead = ChurnSampleRun.Repository(project).Replace("sampleRate: 0.1", "sampleRate: 1");
        var applied = await scenario.Registry.ApplyYamlAsync(everyRead);
        Assert.True(applied.Status == 200, applied.Text);
        var customers = Enumerable.Range(1, ChurnModelScenario.Customers).Select(c => (long)c).ToList();

        // Before the shift: the service's values 45 days ago, saved as the reference. A point-in-time join over every file of five
        // views' histories (about 800, each fetched from the S3 emulator): given minutes, as model-api gives a training set.
        using var patient = scenario.Cluster.FeatureApi.CreateClient();
        patient.Timeout = TimeSpan.FromMinutes(5);
        var saved = await ChurnModelScenario.PostAsync(patient, "api/v1/historical-features", new
        {
            project, featureService = "churn_prediction_online", saveAs = "before_shift",
            entities = customers.Select(c => new Dictionary<string, object>
            {
                ["customer_id"] = c, ["event_timestamp"] = end.AddDays(-45).ToString("O"), ["as_of"] = end.AddDays(-45).ToString("O"),
            }),
        });
        Assert.True(saved.Status == 200, saved.Text);
        var since = DateTime.UtcNow.AddMinutes(-1);
        foreach (var batch in customers.Chunk(100))
        {
            var read = await ChurnModelScenario.PostAsync(scenario.FeatureApi, "api/v1/online-features", new
            {
                project, featureService = "churn_prediction_online",
                entities = new Dictionary<string, object[]>
                {
                    ["customer_id"] = batch.Cast<object>().ToArray(), ["as_of"] = batch.Select(_ => (object)end.ToString("O")).ToArray(),
                },
            });
            Assert.True(read.Status == 200, read.Text);
        }
        var window = $"project={project}&start={Uri.EscapeDataString(since.ToString("O"))}";
        await RetryAndErrorQueueTests.Eventually(async () =>
            (await scenario.Registry.GetForJsonAsync($"api/v1/feature-services/churn_prediction_online/logs?{window}", cancel))
                .GetProperty("rows").GetInt64() == customers.Count,
            "the served values to be logged", 60, scenario.Cluster.Diagnostics);

        var drift = await scenario.FeatureApi.GetForJsonAsync(
            $"api/v1/monitoring/drift?{window}&featureService=churn_prediction_online&reference=before_shift", cancel);
        var verdicts = drift.GetProperty("features").EnumerateArray()
            .ToDictionary(f => f.GetProperty("feature").GetString()!, f => f.GetProperty("verdict").GetString());
        string Why(string feature) => $"{feature}: {drift.GetProperty("features").EnumerateArray()
            .First(f => f.GetProperty("feature").GetString() == feature)}";
        foreach (var moved in new[] { "customer_activity:sessions_30d", "customer_activity:purchases_30d", "support:tickets_30d" })
            Assert.True(verdicts[moved] == "drift", Why(moved));
        foreach (var kept in new[] { "customer_profile:monthly_charges", "customer_profile:contract_code", "customer_profile:age" })
            Assert.True(verdicts[kept] == "ok", Why(kept));
    }
}
