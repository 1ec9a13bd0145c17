using System.Net.Http.Json;
using System.Text.Json;
using FeatureStore.IntegrationTests.Registry;
using FeatureStore.IntegrationTests.Services;
using FeatureStore.IntegrationTests.Serving;
using FeatureStore.Samples.Churn;

namespace FeatureStore.IntegrationTests.Samples;

/// <summary>
/// Every feature of the sample repository (samples/feature_repo.yaml, applied as shipped) computed by the real
/// services from hand-made rows with known answers. Windowed features are evaluated at each row's event time,
/// so a value read at time T is the one at the customer's last event at or before T; the expected numbers below
/// say which rows each window holds.
/// </summary>
public sealed class SampleFeatureTests : IAsyncLifetime
{
    private readonly ServiceCluster cluster = new();
    private HttpClient registry = null!;
    private HttpClient featureApi = null!;
    private static readonly DateTime Now = new(DateTime.UtcNow.Ticks - DateTime.UtcNow.Ticks % TimeSpan.TicksPerSecond, DateTimeKind.Utc);
    // The time training asks about; customer 1's last activity is a day before it.
    private static readonly DateTime T = Now.AddHours(-1);
    private string Project => $"{cluster.Backends.Project}_sample";

    public async ValueTask InitializeAsync()
    {
        await cluster.StartAsync();
        registry = cluster.Registry.CreateClient();
        featureApi = cluster.FeatureApi.CreateClient();
        await PutAsync(ChurnSampleFiles.Customers, new CustomerRow[]
        {
            new() { customer_id = 1, signup_date = Now.AddDays(-100), age = 30, gender = "male", location = "paris",
                    device = "desktop", education = "master",
                    contract = "yearly", payment_method = "card", monthly_charges = 50.5, premium = true, loyalty_status = "gold" },
            new() { customer_id = 2, signup_date = Now.AddDays(-10), age = 45, gender = "other", location = "oslo",
                    device = "tablet", education = "phd",
                    contract = "monthly", payment_method = "invoice", monthly_charges = 99, premium = false, loyalty_status = "bronze" },
        });
        var e = T.AddDays(-1); // customer 1's last event
        await PutAsync(ChurnSampleFiles.Activity, new[]
        {
            Activity(T.AddDays(-40), "purchase", amount: 10),
            Activity(e.AddDays(-30), "purchase", amount: 1000), // exactly 30 days before the last event: out of every 30-day window there
            Activity(T.AddDays(-20), "session", seconds: 100),
            Activity(T.AddDays(-10), "purchase", amount: 20),
            Activity(T.AddDays(-7), "purchase", amount: 5),
            Activity(T.AddDays(-6), "add_to_cart"),
            Activity(T.AddDays(-5), "session", seconds: 300),
            Activity(T.AddDays(-2), "purchase", amount: 30),
            Activity(e, "page_view"),
        });
        await PutAsync(ChurnSampleFiles.Tickets, new TicketRow[]
        {
            new() { ticket_id = 1, customer_id = 1, event_timestamp = T.AddDays(-100), category = "billing", priority = "normal" },
            new() { ticket_id = 2, customer_id = 1, event_timestamp = T.AddDays(-60), category = "technical", priority = "normal" },
            new() { ticket_id = 3, customer_id = 1, event_timestamp = T.AddDays(-20), category = "delivery", priority = "normal" },
            new() { ticket_id = 4, customer_id = 1, event_timestamp = T.AddDays(-3), category = "billing", priority = "high" },
        });
        await PutAsync(ChurnSampleFiles.Reviews, new ScoredReviewRow[]
        {
            new() { review_id = 1, customer_id = 1, event_timestamp = T.AddDays(-80), rating = 2, text = "bad",
                sentiment = -0.5, topic_0 = 1 },
            new() { review_id = 2, customer_id = 1, event_timestamp = T.AddDays(-30), rating = 4, text = "good",
                sentiment = 0.5, topic_1 = 1 },
            new() { review_id = 3, customer_id = 1, event_timestamp = T.AddDays(-5), rating = 5, text = "great", sentiment = 0.9,
                topic_2 = 0.5, topic_3 = 0.5 },
        });
        var yaml = (await File.ReadAllTextAsync(Path.Combine(RepoPaths.Root, "samples", "feature_repo.yaml")))
            .Replace("project: churn ", $"project: {Project} ")
            .Replace("sources/churn/", $"sources/{Project}/");
        var applied = await registry.ApplyYamlAsync(yaml);
        Assert.True(applied.Status == 200, applied.Text);
        foreach (var view in new[] { "customer_profile", "customer_activity", "customer_recency", "support", "reviews" })
            await Materializations.MaterializeAsync(registry, Project, view, Now.AddDays(-200), Now, cluster.Diagnostics);
    }

    private static ActivityRow Activity(DateTime at, string type, double? amount = null, double? seconds = null) =>
        new()
        {
            customer_id = 1, event_timestamp = at, ingested_at = at.AddMinutes(1), event_type = type, amount = amount,
            session_seconds = seconds
        };

    private async Task PutAsync<T>(string file, IEnumerable<T> rows) where T : new() =>
        await cluster.Objects.PutAsync(ChurnSampleFiles.Key(Project, file),
            new MemoryStream(await SourceData.ToParquetAsync(rows)), CancellationToken.None);

    private async Task<JsonElement> HistoricalAsync(DateTime at)
    {
        return await featureApi.PostForJsonAsync("api/v1/historical-features", new
        {
            project = Project, featureService = "churn_prediction_v1",
            entities = new[] { 1, 2 }.Select(c => new Dictionary<string, object>
            { ["customer_id"] = c, ["event_timestamp"] = ServingScenario.Iso(at), ["as_of"] = ServingScenario.Iso(at) }),
        }, TestContext.Current.CancellationToken);
    }

    private static double? Number(JsonElement row, string name) =>
        row.GetProperty(name) is { ValueKind: JsonValueKind.Number } v ? v.GetDouble() : null;

    [Fact]
    public async Task Profile_fields_are_encoded()
    {
        var rows = await HistoricalAsync(T);
        var expected = new Dictionary<string, (object? One, object? Two)>
        {
            ["contract_code"] = (1.0, 0.0), ["loyalty_code"] = (2.0, 0.0), ["education_code"] = (2.0, 3.0), ["gender_code"] = (1.0, 2.0),
            ["device_code"] = (1.0, 2.0), ["location_code"] = (3.0, -1.0), ["age"] = (30.0, 45.0), ["monthly_charges"] = (50.5, 99.0),
        };
        foreach (var (name, (one, two)) in expected)
            Assert.Equal((one, two), ((object?)Number(rows[0], name), (object?)Number(rows[1], name)));
        Assert.True(rows[0].GetProperty("automatic_payment").GetBoolean());
        Assert.False(rows[1].GetProperty("automatic_payment").GetBoolean());
        Assert.True(rows[0].GetProperty("premium").GetBoolean());
    }

    [Fact]
    public async Task Activity_windows_hold_the_rows_they_should()
    {
        var rows = await HistoricalAsync(T);
        var one = rows[0];
        // At the last event (T - 1d): 7d = (T-8d, T-1d], 30d = (T-31d, T-1d]; the purchase at exactly T-31d has left it.
        Assert.Equal(9, Number(one, "total_events"));
        Assert.Equal(2, Number(one, "purchases_7d"));
        Assert.Equal(3, Number(one, "purchases_30d"));
        Assert.Equal((1, 1), (Number(one, "add_to_cart_7d"), Number(one, "add_to_cart_30d")));
        Assert.Equal((1, 2), (Number(one, "sessions_7d"), Number(one, "sessions_30d")));
        Assert.Equal(200, Number(one, "avg_session_seconds_30d"));
        Assert.Equal(55, Number(one, "spend_30d"));
        Assert.Null(Number(rows[1], "purchases_30d"));

        // Earlier, at T - 15d, the newest row is the session at T - 20d: its window (T-50d, T-20d] holds the purchases at T-40d and T-31d.
        var earlier = (await HistoricalAsync(T.AddDays(-15)))[0];
        Assert.Equal(2, Number(earlier, "purchases_30d"));
        Assert.Equal(1010, Number(earlier, "spend_30d"));
    }

    [Fact]
    public async Task Support_and_review_windows_hold_the_rows_they_should()
    {
        var one = (await HistoricalAsync(T))[0];
        // At the last ticket (T - 3d): 90d = (T-93d, T-3d] holds tickets 2, 3 and 4.
        Assert.Equal((1, 2, 3, 1),
            (Number(one, "tickets_7d"), Number(one, "tickets_30d"), Number(one, "tickets_90d"), Number(one, "high_priority_tickets_30d")));
        // At the last review (T - 5d): all three reviews are within 90 days.
        Assert.Equal(11.0 / 3, Number(one, "avg_rating_90d")!.Value, 9);
        Assert.Equal(3, Number(one, "review_count_90d"));
        Assert.Equal(0.3, Number(one, "sentiment_90d")!.Value, 9);
        double[] topics = [1.0 / 3, 1.0 / 3, 0.5 / 3, 0.5 / 3];
        for (var k = 0; k < topics.Length; k++) Assert.Equal(topics[k], Number(one, $"topic_{k}_90d")!.Value, 9);
    }

    [Fact]
    public async Task On_demand_signals_are_relative_to_as_of_offline_and_online()
    {
        var rows = await HistoricalAsync(T);
        Assert.Equal(1.0, Number(rows[0], "days_since_last_activity")!.Value, 9);
        Assert.Equal(100 - 1.0 / 24, Number(rows[0], "days_since_signup")!.Value, 9);
        Assert.Equal(3.0 / 30, Number(rows[0], "purchase_frequency")!.Value, 9);
        Assert.Null(Number(rows[1], "days_since_last_activity"));
        Assert.Equal(10 - 1.0 / 24, Number(rows[1], "days_since_signup")!.Value, 9);

        var online = (await featureApi.PostForJsonAsync("api/v1/online-features", new
        {
            project = Project, featureService = "churn_prediction_online",
            entities = new Dictionary<string, object[]> { ["customer_id"] = [1L], ["as_of"] = [ServingScenario.Iso(Now)] },
        }, TestContext.Current.CancellationToken)).GetProperty("results")[0];
        Assert.Equal(1 + 1.0 / 24, online.GetProperty("values").GetProperty("days_since_last_activity").GetDouble(), 9);
        Assert.Equal(3, online.GetProperty("values").GetProperty("purchases_30d").GetInt64());
        Assert.Equal("PRESENT", online.GetProperty("statuses").GetProperty("sentiment_90d").GetString());

        // Online, the registry chose the in-process evaluator for the view, and its definition says so.
        var view = await registry.GetForJsonAsync($"api/v1/on-demand-feature-views/churn_signals?project={Project}",
            TestContext.Current.CancellationToken);
        Assert.Equal("in_process", view.GetProperty("evaluation").GetProperty("evaluator").GetString());
    }

    public async ValueTask DisposeAsync()
    {
        registry?.Dispose();
        featureApi?.Dispose();
        await cluster.DisposeAsync();
    }
}
