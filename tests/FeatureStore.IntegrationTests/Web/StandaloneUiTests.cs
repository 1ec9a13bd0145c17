using System.Net;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace FeatureStore.IntegrationTests.Web;

/// <summary>
/// The standalone host serves the UI under <c>/ui</c> beside the API at its root, in one process: a person signs in there and
/// works as with the UI's own host, the API keeps its paths and its API-key authentication, and neither answers on the
/// other's paths.
/// </summary>
public sealed class StandaloneUiTests : IAsyncLifetime
{
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), $"fs-ui-{Guid.NewGuid():N}");
    private ServiceProcess? _store;

    public async ValueTask InitializeAsync()
    {
        _store = ServiceProcess.Start("standalone-ui", "services/standalone", "FeatureStore.Standalone",
            new Dictionary<string, string>
            { ["FeatureStore__DataDirectory"] = _dataDirectory, ["FeatureStore__Sample__Customers"] = "100" });
        await _store.WaitUntilReadyAsync(TimeSpan.FromSeconds(90));
    }

    [Fact]
    public async Task The_ui_answers_under_ui_and_the_api_keeps_the_root()
    {
        var cancel = TestContext.Current.CancellationToken;
        await using var browser = await HeadlessChromium.LaunchAsync();
        var ui = await UiPage.OpenAsync(browser);
        var page = ui.Page;
        await ui.SignInAsync(new Uri(_store!.BaseAddress, "ui/monitoring")); // the form and the way back stay under /ui
        await Expect(page.Locator("#freshness")).ToContainTextAsync("customer_profile");

        // Links stay under /ui: from the board to a view's page, from the menu to the catalog.
        await page.Locator("#freshness a", new() { HasText = "customer_profile" }).First.ClickAsync();
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/ui/projects/churn/feature-views/customer_profile$"));
        await Expect(page.Locator("#schema")).ToContainTextAsync("monthly_charges");
        await page.GetByRole(AriaRole.Link, new() { Name = "Catalog" }).ClickAsync();
        await Expect(page.Locator("#features")).ToContainTextAsync("customer_activity");
        await HeadlessChromium.ScreenshotAsync(page, "ui-standalone-catalog");

        // The API at the root, still by API key (the UI's cookie is no credential there); nothing of each at the other's paths.
        using var http = new HttpClient { BaseAddress = _store.BaseAddress };
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync("api/v1/projects", cancel)).StatusCode);
        http.DefaultRequestHeaders.Add(FeatureStore.Contracts.FeatureStoreHeaders.ApiKey, TestCredentials.AdminKey);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("api/v1/projects", cancel)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("ui/api/v1/projects", cancel)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("signin", cancel)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("_framework/blazor.web.js", cancel)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("ui/_framework/blazor.web.js", cancel)).StatusCode);

        await page.ClickAsync("button.signout");
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/ui/signin"));
        ui.AssertNoConsoleErrors(() => _store.LogTail());
    }

    public async ValueTask DisposeAsync()
    {
        if (_store is not null) await _store.DisposeAsync();
        try { Directory.Delete(_dataDirectory, recursive: true); } catch (IOException) { }
    }
}
