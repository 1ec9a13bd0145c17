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
        ["redis", "postgres", "registry-db", "messaging", "minio", "registry", "pipeline-worker", "feature-api", "model-api"];

    private readonly string _data = Directory.CreateTempSubdirectory("fs-apphost-").FullName;
    private readonly ConcurrentQueue<string> _states = new();

    public DistributedApplication App { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        var ct = TestContext.Current.CancellationToken;
        var appHost = await DistributedApplicationTestingBuilder.CreateAsync<Projects.FeatureStore_AppHost>(
            [$"Infrastructure:DataDirectory={_data}", "PipelineWorker:Replicas=2"], ct);
        appHost.Services.AddLogging(logging => logging.AddSimpleConsole(o => o.SingleLine = true));
        App = await appHost.BuildAsync(ct).WaitAsync(Patience, ct);
        _ = Task.Run(async () =>
        {
            await foreach (var e in App.ResourceNotifications.WatchAsync(CancellationToken.None))
                _states.Enqueue($"{DateTime.UtcNow:HH:mm:ss.fff} {e.Resource.Name}: {e.Snapshot.State?.Text} {e.Snapshot.HealthStatus}");
        });
        try { await App.StartAsync(ct).WaitAsync(Patience, ct); }
        catch (TimeoutException) { throw new TimeoutException($"the AppHost did not start in {Patience}:\n{States()}"); }
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
