using System.Net.Http.Json;
using System.Text.Json;
using FeatureStore.Samples.Churn;

namespace FeatureStore.IntegrationTests.Security;

/// <summary>
/// The churn sample (trained and promoted by the standalone host's first start) with one permission added: the
/// <c>team: growth</c> view (customer_activity) is readable only by role <c>growth_reader</c>. Then what a prediction echoes and
/// what a saved dataset gives must not show a reader without that role any of it.
/// </summary>
public sealed class SecuredSampleHost : StandaloneSecurityHost
{
    public const string Project = "churn";

    public JsonElement Model { get; private set; }

    protected override string Sample => "true";

    protected override async Task PrepareAsync()
    {
        var deadline = DateTime.UtcNow.AddMinutes(4);
        do
        {
            Assert.True(DateTime.UtcNow < deadline, $"no promoted churn model after 4 minutes\n{Host.LogTail()}");
            await Task.Delay(500);
            Model = await Admin.GetForJsonAsync("api/v1/models/churn");
        } while (Model.GetProperty("promoted").ValueKind == JsonValueKind.Null);
        var applied = await Admin.ApplyYamlAsync(ChurnSampleRun.Repository(Project) + """

            permissions:
              - name: growth_readers
                requiredTags: {team: growth}
                roles: [growth_reader]
                actions: [read_online, read_offline]
            """);
        Assert.True(applied.Status == 200, applied.Text);
    }
}

public sealed class ProtectedSampleTests(SecuredSampleHost host) : IClassFixture<SecuredSampleHost>
{
    [Fact]
    public async Task A_prediction_withholds_the_echoed_features_its_caller_may_not_read_and_still_predicts()
    {
        var (_, reader) = await host.CreateKeyAsync([SecuredSampleHost.Project], ["reader"]);
        var (_, cleared) = await host.CreateKeyAsync([SecuredSampleHost.Project], ["reader", "growth_reader"]);

        var refused = await PredictAsync(reader);
        Assert.True(refused.Status == 200, refused.Text);
        var withheld = refused.Body.GetProperty("withheld").EnumerateArray().Select(w => w.GetString()!).ToList();
        Assert.Contains("purchases_30d", withheld);
        foreach (var feature in refused.Body.GetProperty("features").EnumerateArray())
        {
            var name = feature.GetProperty("name").GetString()!;
            var hidden = withheld.Contains(name);
            Assert.Equal(hidden, feature.GetProperty("status").GetString() == "WITHHELD");
            if (hidden) Assert.Equal(JsonValueKind.Null, feature.GetProperty("value").ValueKind);
        }
        Assert.Contains(refused.Body.GetProperty("features").EnumerateArray(), f => f.GetProperty("status").GetString() == "PRESENT");

        foreach (var key in new[] { cleared, TestCredentials.AdminKey })
        {
            // The same model, the same customer, the same inputs, the same probability: withholding changes what is shown, not the
            // prediction. Each prediction is as of its own now, and the days-since features move with it, so the two are compared
            // when every value both show is equal (asked again when a second ticked between them).
            for (var attempt = 1; ; attempt++)
            {
                var shown = await PredictAsync(key);
                Assert.True(shown.Status == 200, shown.Text);
                Assert.False(shown.Body.TryGetProperty("withheld", out var none) && none.ValueKind != JsonValueKind.Null, shown.Text);
                if (ShownValues(refused).All(v => ShownValues(shown).Contains(v)))
                {
                    Assert.Equal(refused.Body.GetProperty("probability").GetDouble(), shown.Body.GetProperty("probability").GetDouble());
                    break;
                }
                Assert.True(attempt < 5, $"the inputs changed between every pair of predictions:\n{refused.Text}\n{shown.Text}");
                refused = await PredictAsync(reader);
            }
        }
    }

    /// <summary>The features a prediction shows with their values (withheld ones left out).</summary>
    private static HashSet<string> ShownValues(Answer prediction) => prediction.Body.GetProperty("features").EnumerateArray()
        .Where(f => f.GetProperty("status").GetString() != "WITHHELD")
        .Select(f => $"{f.GetProperty("name").GetString()}={f.GetProperty("value").GetRawText()}").ToHashSet();

    [Fact]
    public async Task A_saved_dataset_holding_protected_features_is_refused_to_a_reader_without_the_role()
    {
        var version = host.Model.GetProperty("promoted").GetInt32();
        var model = await host.Admin.GetForJsonAsync($"api/v1/models/churn/versions/{version}", TestContext.Current.CancellationToken);
        var path = $"api/v1/datasets/{model.GetProperty("dataset").GetString()}?project={SecuredSampleHost.Project}";
        var (_, reader) = await host.CreateKeyAsync([SecuredSampleHost.Project], ["reader"]);
        var (_, cleared) = await host.CreateKeyAsync([SecuredSampleHost.Project], ["reader", "growth_reader"]);

        var refused = await host.SendAsync(HttpMethod.Get, path, reader);
        Assert.True(refused.Status == 403, refused.Text);
        Assert.Equal(["features"], refused.ErrorFields);
        // The view's features, and the on-demand ones computed over it: derived data inherits.
        Assert.Contains("customer_activity@v1:purchases_30d", StandaloneSecurityHost.Reason(refused));
        Assert.Contains("churn_signals@v1:purchase_frequency", StandaloneSecurityHost.Reason(refused));
        Assert.DoesNotContain("dataPath", refused.Text);
        var shown = await host.SendAsync(HttpMethod.Get, path, cleared);
        Assert.True(shown.Status == 200, shown.Text);
    }

    [Fact]
    public async Task The_registry_knows_the_promoted_version_and_its_training_set_from_model_api()
    {
        var version = host.Model.GetProperty("promoted").GetInt32();
        var model = await host.Admin.GetForJsonAsync($"api/v1/models/churn/versions/{version}", TestContext.Current.CancellationToken);
        JsonElement promoted = default;
        await Messaging.RetryAndErrorQueueTests.Eventually(async () =>
        {
            promoted = await host.Admin.GetForJsonAsync($"api/v1/models/promoted?project={SecuredSampleHost.Project}",
                TestContext.Current.CancellationToken);
            return promoted.GetProperty("models").GetArrayLength() > 0;
        }, "model-api's ModelPromoted to reach the registry");
        var churn = Assert.Single(promoted.GetProperty("models").EnumerateArray());
        Assert.Equal(("churn", version, model.GetProperty("dataset").GetString()),
            (churn.GetProperty("model").GetString(), churn.GetProperty("version").GetInt32(), churn.GetProperty("dataset").GetString()));
        Assert.Equal(model.GetProperty("servingFeatureService").GetProperty("name").GetString(),
            churn.GetProperty("servingFeatureService").GetString());
    }

    private Task<Answer> PredictAsync(string key) =>
        host.SendAsync(HttpMethod.Post, "api/v1/predict/churn", key, new { customerId = 1 });
}
