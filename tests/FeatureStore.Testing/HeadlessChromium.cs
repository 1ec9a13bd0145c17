using Microsoft.Playwright;
using Xunit;

namespace FeatureStore.Testing;

/// <summary>
/// Debian's Chromium (apt package <c>chromium</c>, installed by eng/infra.sh) driven by Playwright, headless, with a
/// fresh profile. Playwright's own browser download cannot work here, so the executable is the system's. The flags
/// keep it quiet on a closed network: without the background-networking ones it keeps dialling Google's services.
/// </summary>
public sealed class HeadlessChromium : IAsyncDisposable
{
    public const string Executable = "/usr/bin/chromium";

    private static readonly string[] Flags =
    [
        "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync",
    ];

    private readonly IPlaywright _playwright;
    private readonly string _profile;

    public IBrowserContext Context { get; }

    private HeadlessChromium(IPlaywright playwright, IBrowserContext context, string profile) =>
        (_playwright, Context, _profile) = (playwright, context, profile);

    public static async Task<HeadlessChromium> LaunchAsync()
    {
        Assert.True(File.Exists(Executable), $"{Executable} is missing: `eng/infra.sh install` installs the apt package chromium");
        var playwright = await Playwright.CreateAsync();
        var profile = Directory.CreateTempSubdirectory("fs-chromium-").FullName;
        try
        {
            // A persistent context is how Playwright takes a user data dir of our choosing (a fresh one: no state from earlier runs).
            var context = await playwright.Chromium.LaunchPersistentContextAsync(profile, new BrowserTypeLaunchPersistentContextOptions
            {
                ExecutablePath = Executable, Headless = true, Args = Flags, ViewportSize = new ViewportSize { Width = 1600, Height = 1000 },
            });
            // Live pages (the dashboard's, the UI's) update over a websocket; give them time on a busy 2-core machine (Playwright's
            // default is 5 s).
            context.SetDefaultTimeout(30_000);
            Assertions.SetDefaultExpectTimeout(30_000);
            return new HeadlessChromium(playwright, context, profile);
        }
        catch
        {
            playwright.Dispose();
            Directory.Delete(profile, recursive: true);
            throw;
        }
    }

    /// <summary>
    /// Saves a screenshot of the page under TestResults/screenshots of the repository (git-ignored) and attaches it to the
    /// test's result. Returns the file.
    /// </summary>
    public static async Task<FileInfo> ScreenshotAsync(IPage page, string name)
    {
        var file = new FileInfo(Path.Combine(RepositoryRoot(), "TestResults", "screenshots", $"{name}.png"));
        file.Directory!.Create();
        var png = await page.ScreenshotAsync(new PageScreenshotOptions { Path = file.FullName, FullPage = true });
        TestContext.Current.AddAttachment($"{name}.png", png, "image/png");
        file.Refresh();
        return file;
    }

    /// <summary>The folder holding FeatureStore.sln, found upwards from the test's binaries.</summary>
    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "FeatureStore.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException($"no FeatureStore.sln above {AppContext.BaseDirectory}");
    }

    public async ValueTask DisposeAsync()
    {
        await Context.CloseAsync();
        _playwright.Dispose();
        try { Directory.Delete(_profile, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
