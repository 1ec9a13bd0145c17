using System.Collections.Concurrent;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FeatureStore.AppHost.Tests;

/// <summary>
/// One start of the real AppHost for the tests that share it: backing servers as this machine provides them (local
/// executables where no container runtime answers), two pipeline-worker replicas, a data folder of its own. Every
/// resource state change is kept, so a resource that never gets healthy is named with its story.
/// </summary>
public sealed class AppHostFixture : IAsyncLifetime
{
    public static readonly TimeSpan Patience = TimeSpan.FromMinutes(4);

    public static readonly string[] Resources =
        ["redis", "postgres", "registry-db", "messaging", "minio", "registry", "pipeline-worker", "feature-api", "model-api", "web"];

    private readonly string _data = Directory.CreateTempSubdirectory("fs-apphost-").FullName;
    private readonly ConcurrentQueue<string> _states = new();

    public DistributedApplication App { get; private set; } = null!;

    private readonly int _dashboardPort = LoopbackPorts.Free();

    /// <summary>The dashboard (on a free port of its own), and the key of its telemetry HTTP API (<c>x-api-key</c>).</summary>
    public Uri DashboardUrl { get; private set; } = null!;

    public string DashboardApiKey { get; } = Guid.NewGuid().ToString("N");

    /// <summary>
    /// The dashboard's login address with its browser token (<c>/login?t=…</c>): the testing builder keeps the frontend behind a
    /// token whatever ASPIRE_DASHBOARD_UNSECURED_ALLOW_ANONYMOUS says. A credential for this run: never log it.
    /// </summary>
    public Uri DashboardLoginUrl { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        var ct = TestContext.Current.CancellationToken;
        var appHost = await DistributedApplicationTestingBuilder.CreateAsync<Projects.FeatureStore_AppHost>(
            new DistributedApplicationTestingBuilderOptions { EnableDashboard = true },
        [
            $"Infrastructure:DataDirectory={_data}", "PipelineWorker:Replicas=2",
            // The dashboard runs too (the tests read its telemetry and open its pages), on loopback without TLS; its API wants the key.
            $"ASPNETCORE_URLS=http://127.0.0.1:{_dashboardPort}",
            $"ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL=http://127.0.0.1:{LoopbackPorts.Free()}",
            "ASPIRE_ALLOW_UNSECURED_TRANSPORT=true", "ASPIRE_DASHBOARD_UNSECURED_ALLOW_ANONYMOUS=true",
            $"AppHost:DashboardApiKey={DashboardApiKey}",
            // The run's own admin key instead of a generated one, so the tests can call the services.
            $"Parameters:admin-key={TestCredentials.AdminKey}",
        ], ct);
        appHost.Services.AddLogging(logging => logging.AddSimpleConsole(o => o.SingleLine = true));
        App = await appHost.BuildAsync(ct).WaitAsync(Patience, ct);
        _ = Task.Run(async () =>
        {
            await foreach (var e in App.ResourceNotifications.WatchAsync(CancellationToken.None))
                _states.Enqueue($"{DateTime.UtcNow:HH:mm:ss.fff} {e.Resource.Name}: {e.Snapshot.State?.Text} {e.Snapshot.HealthStatus}");
        });
        try { await App.StartAsync(ct).WaitAsync(Patience, ct); }
        catch (TimeoutException) { throw new TimeoutException($"the AppHost did not start in {Patience}:\n{States()}"); }
        DashboardLoginUrl = await App.GetDashboardUrlAsync(ct).WaitAsync(Patience, ct);
        DashboardUrl = new Uri(DashboardLoginUrl.GetLeftPart(UriPartial.Authority));
        foreach (var resource in Resources)
        {
            try { await App.ResourceNotifications.WaitForResourceHealthyAsync(resource, ct).WaitAsync(Patience, ct); }
            catch (TimeoutException) { throw new TimeoutException($"{resource} was not healthy after {Patience}:\n{States()}"); }
        }
    }

    /// <summary>Every state change seen so far, one per line.</summary>
    public string States() => string.Join("\n", _states);

    public async ValueTask DisposeAsync()
    {
        if (App is not null) await App.DisposeAsync();
        try { Directory.Delete(_data, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
