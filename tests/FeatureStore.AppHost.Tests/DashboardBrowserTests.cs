using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace FeatureStore.AppHost.Tests;

/// <summary>
/// The Aspire dashboard in a real browser (Debian's Chromium through Playwright): the resources page lists the four services,
/// and a materialization shows on the traces page as one trace from the registry's endpoint into pipeline-worker and back.
/// Locators follow what the pages render (checked with the browser): the resources and traces grids are ARIA grids whose
/// cells carry labels such as "Project: registry" or "Name: registry: POST …\nTrace Id: …"; the name filter is a searchbox.
/// </summary>
public sealed partial class DashboardBrowserTests(AppHostFixture fixture)
{
    private static readonly string[] SingleServices = ["registry", "feature-api", "model-api"];

    [Fact]
    public async Task The_dashboard_lists_the_services_and_shows_a_materialization_as_one_trace()
    {
        var ct = TestContext.Current.CancellationToken;
        var job = await TracedMaterialization.RunAsync(fixture, "browser", ct);
        // The services export spans in batches: wait until the API has the registry's job update, so the page has it too.
        using (var telemetry = new DashboardTelemetry(fixture))
        {
            var spans = await telemetry.AwaitTraceAsync(job.Trace.TraceId,
                s => s.Any(IsJobUpdate) && s.Any(span => span.Service == "pipeline-worker"), ct);
            Assert.True(spans.Any(IsJobUpdate),
                $"trace {job.Trace.TraceId} never reached the registry's job update:\n{string.Join('\n', spans)}");
        }

        await using var browser = await HeadlessChromium.LaunchAsync();
        var page = await browser.Context.NewPageAsync();
        // The login address carries the run's browser token; the dashboard then lands on its resources page.
        await page.GotoAsync(fixture.DashboardLoginUrl.ToString());
        await Expect(page).ToHaveURLAsync(new Regex(@"/$"));
        foreach (var service in SingleServices)
            await Expect(ResourceRow(page, page.GetByRole(AriaRole.Gridcell, new() { Name = $"Project: {service}", Exact = true })))
                .ToContainTextAsync("Running");
        // pipeline-worker runs as two replicas, each a row named after the service and its instance.
        var workers = page.GetByRole(AriaRole.Gridcell, new() { NameRegex = WorkerReplica() });
        await Expect(workers).ToHaveCountAsync(2);
        await Expect(ResourceRow(page, workers).Nth(0)).ToContainTextAsync("Running");
        await Expect(ResourceRow(page, workers).Nth(1)).ToContainTextAsync("Running");
        var resourcesShot = await HeadlessChromium.ScreenshotAsync(page, "dashboard-resources");

        await page.GotoAsync(new Uri(fixture.DashboardUrl, "traces").ToString());
        await page.GetByRole(AriaRole.Searchbox).FillAsync("materialize");
        var trace = page.GetByRole(AriaRole.Gridcell, new() { Name = $"Trace Id: {job.Trace.TraceId}" });
        await Expect(trace).ToBeVisibleAsync();
        await Expect(trace).ToContainTextAsync("registry: POST /api/v1/feature-views/{name}/materialize");
        var tracesShot = await HeadlessChromium.ScreenshotAsync(page, "dashboard-traces");

        // Its detail: the worker's consumer of MaterializeFeatureView and the registry's consumer of the worker's reports, one trace.
        await trace.ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex($"/traces/detail/{job.Trace.TraceId}$"));
        await Expect(page.GetByRole(AriaRole.Gridcell, new() { NameRegex = WorkerConsumer() }).First).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Gridcell, new() { Name = "registry: materialization-events process", Exact = true }).First)
            .ToBeVisibleAsync();
        var detailShot = await HeadlessChromium.ScreenshotAsync(page, "dashboard-trace-detail");

        foreach (var shot in new[] { resourcesShot, tracesShot, detailShot })
        {
            Assert.True(shot.Exists && shot.Length > 1000, $"{shot.FullName}: {(shot.Exists ? shot.Length + " bytes" : "missing")}");
            var header = new byte[8];
            await using (var png = shot.OpenRead()) await png.ReadExactlyAsync(header, ct);
            Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }, header);
        }
    }

    /// <summary>The registry's consumer of the worker's completion report updating the job (the last hop of a materialization).</summary>
    internal static bool IsJobUpdate(TelemetrySpan span) =>
        span.Service == "registry" && span.Attributes.GetValueOrDefault("db.query.text", "")
            .Contains("UPDATE materialization_jobs SET status = 'succeeded'");

    private static ILocator ResourceRow(IPage page, ILocator nameCell) => page.GetByRole(AriaRole.Row).Filter(new() { Has = nameCell });

    [GeneratedRegex(@"^Project: pipeline-worker-\w+$")]
    private static partial Regex WorkerReplica();

    [GeneratedRegex(@"^pipeline-worker-\w+: materialize-feature-view process$")]
    private static partial Regex WorkerConsumer();
}
