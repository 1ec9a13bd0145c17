using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace FeatureStore.IntegrationTests.Web;

/// <summary>
/// The UI (services/web) in real Chromium, over the standalone host with its churn sample: sign in with a key, find a feature,
/// open its view, start a materialization and watch it reach success on the page, see it on the jobs page. Screenshots go to
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
        Assert.True(consoleErrors.Count == 0, $"console errors: {string.Join("\n", consoleErrors)}\n{_web.LogTail()}");
    }

    public async ValueTask DisposeAsync()
    {
        if (_web is not null) await _web.DisposeAsync();
        if (_store is not null) await _store.DisposeAsync();
        try { Directory.Delete(_dataDirectory, recursive: true); } catch (IOException) { }
    }
}
