using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace FeatureStore.IntegrationTests.Web;

/// <summary>A page of the UI in real Chromium that records every console error and uncaught script error, with the steps every
/// UI test begins with.</summary>
internal sealed class UiPage
{
    private readonly List<string> _consoleErrors = [];

    private UiPage(IPage page)
    {
        Page = page;
        page.Console += (_, message) => { if (message.Type == "error") _consoleErrors.Add(message.Text); };
        page.PageError += (_, error) => _consoleErrors.Add(error);
    }

    public IPage Page { get; }

    public static async Task<UiPage> OpenAsync(HeadlessChromium browser) => new(await browser.Context.NewPageAsync());

    /// <summary>Opens <paramref name="protectedPage"/>, is sent to the sign-in form, is refused with a wrong key, signs in with the
    /// admin key and lands back on the page asked for.</summary>
    public async Task SignInAsync(Uri protectedPage)
    {
        await Page.GotoAsync(protectedPage.ToString());
        var uiBase = protectedPage.AbsolutePath[..(protectedPage.AbsolutePath.LastIndexOf('/') + 1)]; // the form is the UI's
        await Expect(Page).ToHaveURLAsync(new Regex(Regex.Escape($"{protectedPage.Authority}{uiBase}signin?")));
        await Page.FillAsync("#key", "not-a-key");
        await Page.ClickAsync("button[type=submit]");
        await Expect(Page.GetByRole(AriaRole.Alert)).ToContainTextAsync("does not accept this key");
        await Page.FillAsync("#key", TestCredentials.AdminKey);
        await Page.ClickAsync("button[type=submit]");
        await Expect(Page).ToHaveURLAsync(new Regex(Regex.Escape(protectedPage.AbsolutePath) + "$"));
    }

    /// <summary>Fails with every console error the page saw, and <paramref name="diagnostics"/>.</summary>
    public void AssertNoConsoleErrors(Func<string> diagnostics) =>
        Assert.True(_consoleErrors.Count == 0, $"console errors: {string.Join("\n", _consoleErrors)}\n{diagnostics()}");
}
