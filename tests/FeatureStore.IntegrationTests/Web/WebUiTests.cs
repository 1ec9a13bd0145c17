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
            { ["FeatureStore__DataDirectory"] = _dataDirectory, ["FeatureStore__Sample__Customers"] = "200" });
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
        var page = await browser.Context.NewPageAsync();
        var consoleErrors = new List<string>();
        page.Console += (_, message) => { if (message.Type == "error") consoleErrors.Add(message.Text); };
        page.PageError += (_, error) => consoleErrors.Add(error);

        await page.GotoAsync(new Uri(_web!.BaseAddress, "jobs").ToString());
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/signin\\?"));
        await page.FillAsync("#key", "not-a-key");
        await page.ClickAsync("button[type=submit]");
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("does not accept this key");

        await page.FillAsync("#key", TestCredentials.AdminKey);
        await page.ClickAsync("button[type=submit]");
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/jobs$"));

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
        await link.ClickAsync();

        await Expect(page.Locator("h1")).ToHaveTextAsync("customer_profile");
        await Expect(page.Locator("#schema")).ToContainTextAsync("monthly_charges");
        await page.ClickAsync("#materialize");
        await Expect(page.Locator("#job-status")).ToHaveTextAsync("succeeded", new() { Timeout = 90_000 });
        await Expect(page.Locator("#jobs")).ToContainTextAsync("succeeded");
        await HeadlessChromium.ScreenshotAsync(page, "ui-view");

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

        // Monitoring: the freshness board names the sample's views with a status each.
        await page.GotoAsync(new Uri(_web.BaseAddress, "monitoring").ToString());
        await Expect(page.Locator("#freshness")).ToContainTextAsync("customer_profile");
        await Expect(page.Locator("#freshness-summary")).ToContainTextAsync(" ok");

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
        Assert.True(consoleErrors.Count == 0, $"console errors: {string.Join("\n", consoleErrors)}\n{_web.LogTail()}");
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
