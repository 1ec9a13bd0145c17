using System.Text.Json;
using FeatureStore.IntegrationTests.Registry;
using FeatureStore.IntegrationTests.Serving;
using static FeatureStore.IntegrationTests.Models.ChurnModelScenario;

namespace FeatureStore.IntegrationTests.Models;

/// <summary>The churn model through the real services: training quality, versions and promotion, predictions, consistency.</summary>
public sealed partial class ChurnModelTests(ChurnModelScenario scenario) : IClassFixture<ChurnModelScenario>
{
    private async Task<JsonElement> ModelAsync(int version)
    {
        var answer = await scenario.ModelApi.GetAnswerAsync($"api/v1/models/churn/versions/{version}");
        Assert.True(answer.Status == 200, answer.Text);
        return answer.Body;
    }

    [Fact]
    public void Nothing_is_predicted_before_a_model_is_promoted()
    {
        Assert.Equal(409, scenario.BeforeAnyModel.Status);
        Assert.Contains("model", scenario.BeforeAnyModel.ErrorFields);
    }

    [Fact]
    public async Task The_trained_model_beats_a_constant_on_held_out_customers()
    {
        var model = await ModelAsync(scenario.Sample.ModelVersion!.Value);
        var metrics = model.GetProperty("metrics");
        // A constant model has an AUC of exactly 0.5 whatever it predicts.
        Assert.True(metrics.GetProperty("auc").GetDouble() >= 0.75, model.ToString());
        Assert.Equal(["logistic_regression", "gradient_boosted_trees"],
            model.GetProperty("candidates").EnumerateArray().Select(c => c.GetProperty("algorithm").GetString()));
        var confusion = metrics.GetProperty("confusionMatrix");
        var held = new[] { "truePositives", "falsePositives", "trueNegatives", "falseNegatives" }
            .Sum(k => confusion.GetProperty(k).GetInt64());
        Assert.Equal(model.GetProperty("testRows").GetInt64(), held);
        Assert.Equal(Customers, model.GetProperty("trainingRows").GetInt64() + model.GetProperty("testRows").GetInt64());
        Assert.Equal(20, model.GetProperty("features").GetArrayLength());
        Assert.Equal(20, model.GetProperty("importance").GetArrayLength());
        Assert.All(model.GetProperty("featureRefs").EnumerateArray(), r => Assert.Matches("^[a-z_]+@v[0-9]+:[a-z_0-9]+$", r.GetString()));
        Assert.Equal(("churn_prediction_v1", "churn_prediction_online"),
            (model.GetProperty("trainingFeatureService").GetProperty("name").GetString(),
                model.GetProperty("servingFeatureService").GetProperty("name").GetString()));

        // The training set was saved as a dataset in feature-api, so it can be reproduced.
        var dataset = await scenario.FeatureApi.GetAnswerAsync(
            $"api/v1/datasets/{model.GetProperty("dataset").GetString()}?project={scenario.Project}");
        Assert.True(dataset.Status == 200, dataset.Text);
        Assert.Equal(Customers, dataset.Body.GetProperty("rows").GetInt64());
    }

    [Fact]
    public async Task Lineage_reaches_from_a_feature_to_the_models_trained_on_it()
    {
        var version = scenario.Sample.ModelVersion!.Value;
        for (var attempt = 0; ; attempt++)
        {
            var lineage = await scenario.Registry.GetAnswerAsync(
                $"api/v1/lineage?project={scenario.Project}&feature=customer_activity:purchases_30d");
            Assert.True(lineage.Status == 200, lineage.Text);
            var edges = lineage.Body.GetProperty("edges").EnumerateArray()
                .Select(e => (e.GetProperty("from").GetString(), e.GetProperty("to").GetString())).ToList();
            // ModelTrained reaches the registry over RabbitMQ: give it a moment.
            if (edges.Contains(("featureService:churn_prediction_online", $"model:churn@v{version}"))
                && edges.Contains(("featureService:churn_prediction_v1", $"model:churn@v{version}")))
                return;
            Assert.True(attempt < 50, lineage.Text);
            await Task.Delay(200, TestContext.Current.CancellationToken);
        }
    }

    [Fact]
    public async Task A_prediction_reports_every_feature_it_used_and_raw_values_give_the_same_answer()
    {
        var online = await PostAsync(scenario.ModelApi, "api/v1/predict/churn", new { customerId = 3 });
        Assert.True(online.Status == 200, online.Text);
        var probability = online.Body.GetProperty("probability").GetDouble();
        Assert.InRange(probability, 0, 1);
        Assert.Equal(probability >= 0.5, online.Body.GetProperty("churn").GetBoolean());
        Assert.False(online.Body.GetProperty("degraded").GetBoolean(), online.Text);
        var used = online.Body.GetProperty("features").EnumerateArray().ToList();
        Assert.Equal(20, used.Count);
        Assert.Contains(used,
            f => f.GetProperty("name").GetString() == "days_since_signup" && f.GetProperty("status").GetString() == "PRESENT");
        var missing = online.Body.GetProperty("missing").EnumerateArray().Select(m => m.GetString()).ToHashSet();
        Assert.Equal(used.Where(f => f.GetProperty("status").GetString() != "PRESENT")
            .Select(f => f.GetProperty("name").GetString()).ToHashSet(), missing);

        var raw = used.Where(f => f.GetProperty("status").GetString() == "PRESENT")
            .ToDictionary(f => f.GetProperty("name").GetString()!, f => f.GetProperty("value"));
        var offline = await PostAsync(scenario.ModelApi, "api/v1/predict/churn", new { features = raw });
        Assert.True(offline.Status == 200, offline.Text);
        Assert.Equal(probability, offline.Body.GetProperty("probability").GetDouble(), 6);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("fail")]
    [InlineData("predictWithout")]
    public async Task An_unknown_customer_is_predicted_from_defaults_and_says_so(string? whenFeaturesUnavailable)
    {
        var answer = await PostAsync(scenario.ModelApi, "api/v1/predict/churn", whenFeaturesUnavailable is null
            ? new { customerId = 987654 } : new { customerId = 987654, whenFeaturesUnavailable });
        Assert.True(answer.Status == 200, answer.Text);
        var missing = answer.Body.GetProperty("missing").EnumerateArray().Select(m => m.GetString()).ToList();
        Assert.Contains("purchases_30d", missing);
        Assert.Contains("contract_code", missing);
        // feature-api answered, only without these values: a partial answer, not a degraded one.
        Assert.False(answer.Body.GetProperty("degraded").GetBoolean(), answer.Text);
        Assert.Contains(answer.Body.GetProperty("features").EnumerateArray(), f => f.GetProperty("status").GetString() == "NOT_FOUND");
        Assert.DoesNotContain(answer.Body.GetProperty("features").EnumerateArray(),
            f => f.GetProperty("status").GetString() == "UNAVAILABLE");
    }

    public static TheoryData<string, string, int, string> BadRequests => new()
    {
        { "api/v1/predict/churn", "{}", 400, "customerId" },
        { "api/v1/predict/churn", """{"customerId": true}""", 400, "customerId" },
        { "api/v1/predict/churn", """{"customerId": "abc"}""", 400, "customerId" },
        { "api/v1/predict/churn", """{"customerId": 1, "features": {"age": 30}}""", 400, "features" },
        { "api/v1/predict/churn", """{"features": {"shoe_size": 44}}""", 400, "features.shoe_size" },
        { "api/v1/predict/churn", """{"features": {"age": "old"}}""", 400, "features.age" },
        { "api/v1/predict/churn", """{"customerId": """, 400, "customerId" },
        { "api/v1/predict/churn", """{"customerId": 1, "whenFeaturesUnavailable": "sometimes"}""", 400, "whenFeaturesUnavailable" },
        { "api/v1/predict/churn", """{"customerId": 1, "whenFeaturesUnavailable": "PredictWithout"}""", 400, "whenFeaturesUnavailable" },
        { "api/v1/predict/churn", """{"customerId": 1, "whenFeaturesUnavailable": true}""", 400, "whenFeaturesUnavailable" },
        // feature-api refuses the key (a 4xx): asking to predict without features does not hide that.
        { "api/v1/predict/churn", """{"customerId": "abc", "whenFeaturesUnavailable": "predictWithout"}""", 400, "customerId" },
        { "api/v1/models/churn/train", """{"testFraction": 0.99}""", 400, "testFraction" },
        { "api/v1/models/churn/train", """{"labelsSource": "no such thing!"}""", 400, "labelsSource" },
        { "api/v1/models/churn/versions/0/promote", "{}", 400, "version" },
        { "api/v1/models/churn/versions/999/promote", "{}", 404, "version" },
        { "api/v1/models/churn/consistency", """{"sample": 0}""", 400, "sample" },
        { "api/v1/models/churn/consistency", """{"customers": [true]}""", 400, "customers[0]" },
    };

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task Bad_requests_name_the_field(string path, string body, int status, string field)
    {
        var answer = await PostAsync(scenario.ModelApi, path, body);
        Assert.True(answer.Status == status, answer.Text);
        Assert.Contains(answer.ErrorFields, f => f.StartsWith(field, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Online_and_offline_agree_until_a_value_is_pushed_online_only()
    {
        var clean = await PostAsync(scenario.ModelApi, "api/v1/models/churn/consistency", new { sample = 30 });
        Assert.True(clean.Status == 200, clean.Text);
        Assert.Equal(30, clean.Body.GetProperty("customers").GetInt32());
        Assert.True(clean.Body.GetProperty("mismatches").GetInt32() == 0, clean.Text);

        // Inject a value into the online store that the offline history never saw.
        var pushed = await PostAsync(scenario.FeatureApi, "api/v1/push", new
        {
            project = scenario.Project, pushSource = "activity_push", to = "online",
            rows = new[] { new Dictionary<string, object> { ["customer_id"] = 11,
                ["event_timestamp"] = ServingScenario.Iso(scenario.End.AddSeconds(-1)), ["purchases_30d"] = 999 } },
        });
        Assert.True(pushed.Status == 200, pushed.Text);
        var report = await PostAsync(scenario.ModelApi, "api/v1/models/churn/consistency", new { customers = new[] { 10, 11 } });
        Assert.True(report.Status == 200, report.Text);
        var differences = report.Body.GetProperty("differences").EnumerateArray().ToList();
        Assert.NotEmpty(differences);
        Assert.All(differences, d => Assert.Equal(11, d.GetProperty("customerId").GetInt32()));
        var injected = Assert.Single(differences, d => d.GetProperty("feature").GetString() == "purchases_30d");
        Assert.Equal(999, injected.GetProperty("online").GetInt32());
    }

    [Fact]
    public async Task A_new_version_serves_only_once_promoted()
    {
        var first = scenario.Sample.ModelVersion!.Value;
        var started = await PostAsync(scenario.ModelApi, "api/v1/models/churn/train", new { project = scenario.Project, seed = 8 });
        Assert.True(started.Status == 202, started.Text);
        var again = await PostAsync(scenario.ModelApi, "api/v1/models/churn/train", new { project = scenario.Project });
        Assert.Equal(409, again.Status);
        var job = await WaitAsync(started.Body.GetProperty("location").GetString()!);
        var second = job.GetProperty("version").GetInt32();
        Assert.Equal(first + 1, second);

        var list = (await scenario.ModelApi.GetAnswerAsync("api/v1/models/churn")).Body;
        Assert.Equal(first, list.GetProperty("promoted").GetInt32());
        Assert.Equal(first, (await PostAsync(scenario.ModelApi, "api/v1/predict/churn", new { customerId = 3 }))
            .Body.GetProperty("modelVersion").GetInt32());

        var promoted = await PostAsync(scenario.ModelApi, $"api/v1/models/churn/versions/{second}/promote", "{}");
        Assert.True(promoted.Status == 200, promoted.Text);
        Assert.Equal(second, (await PostAsync(scenario.ModelApi, "api/v1/predict/churn", new { customerId = 3 }))
            .Body.GetProperty("modelVersion").GetInt32());
        await PostAsync(scenario.ModelApi, $"api/v1/models/churn/versions/{first}/promote", "{}");
    }

    private async Task<JsonElement> WaitAsync(string location)
    {
        for (var i = 0; i < 600; i++)
        {
            var job = (await scenario.ModelApi.GetAnswerAsync(location.TrimStart('/'))).Body;
            var status = job.GetProperty("status").GetString();
            if (status == "succeeded") return job;
            Assert.NotEqual("failed", status);
            await Task.Delay(200, TestContext.Current.CancellationToken);
        }
        throw new TimeoutException("training did not finish in 2 minutes");
    }
}
