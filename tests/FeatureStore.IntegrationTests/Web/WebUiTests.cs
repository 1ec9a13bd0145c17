using System.Net.Http.Json;
using FeatureStore.Client;
using FeatureStore.Contracts;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace FeatureStore.IntegrationTests.Web;

/// <summary>
/// The UI (services/web) in real Chromium, over the standalone host with its churn sample: sign in with a key, find a feature,
/// open its view, start a materialization and watch it reach success on the page, see it on the jobs page, follow its lineage,
/// promote a model version after confirming, read online features and a prediction (Try it). Screenshots go to
/// TestResults/screenshots; the browser's console must stay free of errors.
/// </summary>
public sealed class WebUiTests : IAsyncLifetime
{
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), $"fs-web-{Guid.NewGuid():N}");
    private ServiceProcess? _store;
    private ServiceProcess? _web;

    public async ValueTask InitializeAsync()
    {
        _store = ServiceProcess.Start("standalone", "services/standalone", "FeatureStore.Standalone",
            new Dictionary<string, string>
            {
                ["FeatureStore__DataDirectory"] = _dataDirectory, ["FeatureStore__Sample__Customers"] = "200",
                // Served values and usage reach the offline store and the registry within seconds, for the monitoring page.
                ["FeatureStore__FeatureLogging__FlushInterval"] = "00:00:01", ["FeatureStore__Usage__ReportInterval"] = "00:00:01",
            });
        await _store.WaitUntilReadyAsync(TimeSpan.FromSeconds(90));
        var address = _store.BaseAddress.ToString();
        _web = ServiceProcess.Start("web", "services/web", "FeatureStore.Web", new Dictionary<string, string>
        {
            ["services__registry__http__0"] = address, ["services__feature-api__http__0"] = address,
            ["services__model-api__http__0"] = address,
        });
        await _web.WaitUntilReadyAsync(TimeSpan.FromSeconds(60));
    }

    [Fact]
    public async Task A_person_finds_a_feature_opens_its_view_and_watches_a_materialization_succeed()
    {
        await using var browser = await HeadlessChromium.LaunchAsync();
        var ui = await UiPage.OpenAsync(browser);
        var page = ui.Page;
        await ui.SignInAsync(new Uri(_web!.BaseAddress, "jobs"));

        await page.GotoAsync(_web.BaseAddress.ToString());
        var count = page.Locator("#hit-count");
        await Expect(count).ToContainTextAsync(" features");
        var everything = await count.TextContentAsync();
        await Expect(page.Locator("#features")).ToContainTextAsync("customer_activity");
        await page.Locator("#query input").FillAsync("crm-team"); // the owner of customer_profile only
        await Expect(count).Not.ToHaveTextAsync(everything!);
        await Expect(page.Locator("#features")).Not.ToContainTextAsync("customer_activity");
        var link = page.Locator("a.feature-link", new() { HasText = "monthly_charges" });
        await Expect(link).ToBeVisibleAsync();
        await HeadlessChromium.ScreenshotAsync(page, "ui-catalog");
        // plotly.js arrives late (as on a slow link): the run below ends, and the charts are drawn again, before it has loaded.
        await page.RouteAsync("**/plotly-*.js", async route => { await Task.Delay(4_000); await route.ContinueAsync(); });
        await link.ClickAsync();

        await Expect(page.Locator("h1")).ToHaveTextAsync("customer_profile");
        await Expect(page.Locator("#schema")).ToContainTextAsync("monthly_charges");
        await Expect(page.Locator("#statistics-runs")).ToContainTextAsync("1 run ");
        await page.ClickAsync("#materialize");
        await Expect(page.Locator("#job-status")).ToHaveTextAsync("succeeded", new() { Timeout = 90_000 });
        await Expect(page.Locator("#jobs")).ToContainTextAsync("succeeded");
        // Its coverage as a timeline, and each feature's statistics across its runs (the sample's and this one), both drawn
        // from what the page read after the run.
        await Expect(page.Locator("#coverage-summary")).ToContainTextAsync("2 commits");
        await Expect(page.Locator("#coverage-chart .main-svg").First).ToBeVisibleAsync();
        await Expect(page.Locator("#coverage-chart .trace.bars .point")).ToHaveCountAsync(3); // one covered interval, two commits
        await Expect(page.Locator("#statistics-runs")).ToContainTextAsync("2 runs");
        await Expect(page.Locator("#statistics-chart .main-svg").First).ToBeVisibleAsync();
        await Expect(page.Locator("#null-rate-chart .main-svg").First).ToBeVisibleAsync();
        await Expect(page.Locator("#null-rate-chart .scatterlayer .point")).ToHaveCountAsync(2); // a point per run
        await page.UnrouteAllAsync();
        // Another run, plotly.js loaded by now: the charts show it too (a chart draws once, so new data must be a new drawing).
        await page.ClickAsync("#materialize");
        await Expect(page.Locator("#statistics-runs")).ToContainTextAsync("3 runs", new() { Timeout = 90_000 });
        await Expect(page.Locator("#null-rate-chart .scatterlayer .point")).ToHaveCountAsync(3);
        await Expect(page.Locator("#coverage-summary")).ToContainTextAsync("3 commits");
        await Expect(page.Locator("#coverage-chart .trace.bars .point")).ToHaveCountAsync(4);
        await HeadlessChromium.ScreenshotAsync(page, "ui-view");

        // Activity of the last week again: the sample's file and this run's, compacted into one by hand and listed as such.
        await page.GotoAsync(new Uri(_web.BaseAddress, "projects/churn/feature-views/customer_activity").ToString());
        await page.ClickAsync("#materialize");
        await Expect(page.Locator("#job-status")).ToHaveTextAsync("succeeded", new() { Timeout = 90_000 });
        await page.ClickAsync("#compact");
        await Expect(page.Locator("#compaction-status")).ToHaveTextAsync("succeeded", new() { Timeout = 90_000 });
        await Expect(page.Locator("#compactions")).ToContainTextAsync("manual");
        await Expect(page.Locator("#coverage-summary")).ToContainTextAsync("3 commits");

        await page.GotoAsync(new Uri(_web.BaseAddress, "jobs").ToString());
        await Expect(page.Locator("#jobs")).ToContainTextAsync("customer_profile");

        // Lineage: the source and the view it comes from, the services serving it, as a graph whose nodes lead on.
        await page.GotoAsync(new Uri(_web.BaseAddress, "projects/churn/lineage/customer_profile:monthly_charges").ToString());
        var graph = page.Locator("#lineage");
        await Expect(graph).ToContainTextAsync("customers");
        await Expect(graph).ToContainTextAsync("churn_prediction_online");
        await HeadlessChromium.ScreenshotAsync(page, "ui-lineage");
        await graph.Locator("a:has(g.featureView)", new() { HasText = "customer_profile" }).ClickAsync();
        await Expect(page.Locator("h1")).ToHaveTextAsync("customer_profile");

        // Versions: a view applied twice shows what changed, side by side.
        using (var store = Store())
            foreach (var description in new[] { "orders as first described", "orders as described again" })
                await store.ApplyAsync(Orders(description), cancellationToken: TestContext.Current.CancellationToken);
        await page.GotoAsync(new Uri(_web.BaseAddress, "projects/uitest/feature-views/orders").ToString());
        await Expect(page.Locator("#versions")).ToContainTextAsync("2");
        await Expect(page.Locator("#diff td.deleted, #diff td.modified", new() { HasText = "first described" })).ToHaveCountAsync(1);
        await Expect(page.Locator("#diff td.inserted, #diff td.modified", new() { HasText = "described again" })).ToHaveCountAsync(1);
        await Expect(page.Locator("#diff td.unchanged", new() { HasText = "\"amount\"" }).First).ToBeVisibleAsync();
        await HeadlessChromium.ScreenshotAsync(page, "ui-versions");

        // Audit (admins): the applies just made are there.
        await page.GotoAsync(new Uri(_web.BaseAddress, "audit").ToString());
        await Expect(page.Locator("#audit")).ToContainTextAsync("uitest");

        // Models: the sample's promoted version and a second one trained here; promoting asks first, then serves it.
        var second = await SecondModelVersionAsync();
        await page.GotoAsync(new Uri(_web.BaseAddress, "models").ToString());
        var versions = page.Locator("#versions");
        await Expect(versions).ToContainTextAsync("promoted");
        await Expect(page.Locator("#confusion")).ToContainTextAsync("predicted churn");
        await Expect(page.Locator("#roc-chart .main-svg").First).ToBeVisibleAsync();
        await Expect(page.Locator("#roc-chart")).ToContainTextAsync("gradient_boosted_trees");
        await page.Locator(".promote").First.ClickAsync();
        await Expect(versions).ToContainTextAsync($"Serve v{second} from now on?");
        await page.ClickAsync("#confirm-promote");
        await Expect(versions.Locator("tr", new() { HasText = $"v{second}" })).ToContainTextAsync("promoted");
        await HeadlessChromium.ScreenshotAsync(page, "ui-models");

        // Try it: one customer's online features, and a prediction from the version just promoted.
        await page.GotoAsync(new Uri(_web.BaseAddress, "try").ToString());
        await page.ClickAsync("#read");
        await Expect(page.Locator("#online")).ToContainTextAsync("monthly_charges");
        await Expect(page.Locator("#online")).ToContainTextAsync("PRESENT");
        await page.ClickAsync("#predict");
        await Expect(page.Locator("#prediction")).ToContainTextAsync($"model v{second}");
        await HeadlessChromium.ScreenshotAsync(page, "ui-try-it");

        await SeesPerformanceOnceOutcomesComeAsync(page);
        await SeesServingAndDriftAsync(page);

        // A reader's key shows a reader's store: the catalog, but not the audit log.
        string reader;
        using (var store = Store())
            reader = (await store.CreateApiKeyAsync(
                new CreateApiKeyRequest { Name = "ui reader", Owner = "ui test", Projects = ["churn"], Roles = ["reader"] },
                TestContext.Current.CancellationToken)).Secret;
        await page.ClickAsync("button.signout");
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/signin"));
        await page.FillAsync("#key", reader);
        await page.ClickAsync("button[type=submit]");
        await Expect(page.Locator("#hit-count")).ToContainTextAsync(" features");
        await page.GotoAsync(new Uri(_web.BaseAddress, "audit").ToString());
        await Expect(page.Locator("fluent-message-bar, .fluent-messagebar").First).ToContainTextAsync("403");
        ui.AssertNoConsoleErrors(() => _web.LogTail());
    }

    /// <summary>Twenty customers predicted, then their outcomes recorded: the models page shows how the promoted version did.
    /// </summary>
    private async Task SeesPerformanceOnceOutcomesComeAsync(IPage page)
    {
        var cancel = TestContext.Current.CancellationToken;
        var customers = Enumerable.Range(1, 20).ToList();
        using (var store = Store())
            foreach (var customer in customers)
                await store.PredictChurnAsync(customer, cancel);
        using var modelApi = new HttpClient { BaseAddress = _store!.BaseAddress };
        modelApi.DefaultRequestHeaders.Add(FeatureStoreHeaders.ApiKey, TestCredentials.AdminKey);
        var recorded = await modelApi.PostAsJsonAsync("api/v1/models/churn/outcomes", new RecordOutcomesRequestDto
        {
            Outcomes = [.. customers.Select(c => new OutcomeDto
            {
                CustomerId = System.Text.Json.JsonSerializer.SerializeToElement(c), Churned = c % 2 == 0, At = DateTimeOffset.UtcNow,
            })],
        }, cancel);
        Assert.True(recorded.IsSuccessStatusCode, await recorded.Content.ReadAsStringAsync(cancel));

        await page.GotoAsync(new Uri(_web!.BaseAddress, "models").ToString());
        await Expect(page.Locator("#performance-summary")).ToContainTextAsync("20 outcomes");
        await Expect(page.Locator("#performance-chart .main-svg").First).ToBeVisibleAsync();
        await HeadlessChromium.ScreenshotAsync(page, "ui-models-performance");
    }

    /// <summary>Online reads of every customer, served and logged: the monitoring page charts their latency and usage, and a
    /// drift check of the serving feature service lists each feature with both its distributions.</summary>
    private async Task SeesServingAndDriftAsync(IPage page)
    {
        var cancel = TestContext.Current.CancellationToken;
        using (var store = Store())
        {
            // The service logs one read in ten: 150 reads make a logged one all but certain (1 − 0.9¹⁵⁰).
            for (var read = 0; read < 150; read++)
            {
                var ids = Enumerable.Range(0, 4).Select(i => (object?)(long)(1 + (read * 4 + i) % 200)).ToList();
                var now = ids.Select(_ => (object?)DateTimeOffset.UtcNow).ToList(); // the on-demand features' request field
                await store.GetOnlineFeaturesAsync(
                    new Dictionary<string, IReadOnlyList<object?>> { ["customer_id"] = ids, ["as_of"] = now },
                    featureService: "churn_prediction_online", cancellationToken: cancel);
            }
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while ((await store.GetDriftAsync("churn_prediction_online", cancellationToken: cancel)).Features
                   .Single(f => f.Feature == "customer_profile:monthly_charges").CurrentCount == 0)
            {
                Assert.True(DateTime.UtcNow < deadline, $"no served value logged after 60 s\n{_store!.LogTail()}");
                await Task.Delay(500, cancel);
            }
        }
        await page.GotoAsync(new Uri(_web!.BaseAddress, "monitoring").ToString());
        await Expect(page.Locator("#freshness")).ToContainTextAsync("customer_profile");
        await Expect(page.Locator("#freshness-summary")).ToContainTextAsync(" ok");
        // Usage reaches the registry each second; the page reads it when it opens.
        await Eventually(page, "#latency-chart .main-svg", "#serving-none");
        await Expect(page.Locator("#requests-chart .main-svg").First).ToBeVisibleAsync();
        await Expect(page.Locator("#usage-chart")).ToContainTextAsync("customer_profile:monthly_charges");

        await page.ClickAsync("#check-drift");
        await Expect(page.Locator("#drift")).ToContainTextAsync("customer_profile:monthly_charges", new() { Timeout = 60_000 });
        await page.Locator(".drift-feature", new() { HasText = "customer_profile:monthly_charges" }).ClickAsync();
        await Expect(page.Locator("#drift-shown")).ToContainTextAsync("customer_profile:monthly_charges");
        await Expect(page.Locator("#drift-distribution-chart .main-svg").First).ToBeVisibleAsync();
        await Expect(page.Locator("#drift-distribution-chart")).ToContainTextAsync("reference");
        await HeadlessChromium.ScreenshotAsync(page, "ui-monitoring");
    }

    /// <summary>Opens the page again until <paramref name="shown"/> shows rather than <paramref name="notYet"/> (data that reaches the
    /// store within seconds): each time, it waits for the page to show one of them.</summary>
    private static async Task Eventually(IPage page, string shown, string notYet)
    {
        var either = page.Locator($"{shown}, {notYet}").First;
        for (var attempt = 0; ; attempt++)
        {
            await either.WaitForAsync();
            if (await page.Locator(shown).CountAsync() > 0) break;
            Assert.True(attempt < 30, $"{shown} did not show on {page.Url}: {await page.Locator("main, body").First.InnerTextAsync()}");
            await page.WaitForTimeoutAsync(1000);
            await page.ReloadAsync();
        }
        await Expect(page.Locator(shown).First).ToBeVisibleAsync();
    }

    /// <summary>Waits for the sample's promoted model, then trains another version (not promoted); answers its number.</summary>
    private async Task<int> SecondModelVersionAsync()
    {
        using var store = Store();
        var deadline = DateTime.UtcNow.AddMinutes(3);
        while ((await store.ListChurnModelsAsync(TestContext.Current.CancellationToken)).Promoted is null)
        {
            Assert.True(DateTime.UtcNow < deadline, $"no promoted churn model after 3 minutes\n{_store!.LogTail()}");
            await Task.Delay(500, TestContext.Current.CancellationToken);
        }
        var job = await store.TrainChurnModelAsync(new TrainModelRequestDto { Seed = 7 }, TestContext.Current.CancellationToken);
        Assert.True(job.Status == "succeeded", $"training {job.Status}: {job.Error}");
        return job.Version!.Value;
    }

    private FeatureStoreClient Store() => new(new FeatureStoreClientOptions
    { Endpoint = _store!.BaseAddress, ApiKey = TestCredentials.AdminKey, Project = "churn" });

    private static string Orders(string description) => $$"""
        project: uitest
        entities: [{name: customer, joinKeys: [{name: customer_id, type: int64}]}]
        sources:
          - name: orders
            path: sources/uitest/orders.parquet
            timestampField: event_timestamp
            schema: [{name: customer_id, type: int64}, {name: event_timestamp, type: timestamp}, {name: amount, type: float64}]
        featureViews:
          - name: orders
            description: {{description}}
            entities: [customer]
            source: orders
            ttl: 1d
            schema: [{name: amount, type: float64}]
        """;

    public async ValueTask DisposeAsync()
    {
        if (_web is not null) await _web.DisposeAsync();
        if (_store is not null) await _store.DisposeAsync();
        try { Directory.Delete(_dataDirectory, recursive: true); } catch (IOException) { }
    }
}
