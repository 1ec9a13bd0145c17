using FeatureStore.Api.Security;
using FeatureStore.Registry.Storage;
using FeatureStore.Samples.Churn;
using FeatureStore.Storage.Objects;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace FeatureStore.Standalone;

/// <summary>The first-start sample (section <c>FeatureStore:Sample</c>).</summary>
public sealed class FirstRunOptions
{
    public bool Enabled { get; set; } = true;
    public string Project { get; set; } = "churn";
    public int Customers { get; set; } = 1000;
    public int Seed { get; set; } = 42;
    /// <summary>Days at the end of the sample's history in which behaviour shifts (0: none), to show drift and decay.</summary>
    public int ShiftDays { get; set; }
}

/// <summary>
/// On the standalone host's first start (its sample project does not exist yet), runs the churn sample by
/// itself through the host's own APIs — generate, apply, materialize, train and promote — so a new user can ask
/// for a prediction within a minute of <c>dotnet run</c>. It runs once the host listens, never blocks it, and a
/// failure is logged with its reason rather than stopping the host.
/// </summary>
public sealed partial class FirstRunSample(IHostApplicationLifetime lifetime, IServer server, IDefinitionStore registry,
    IObjectStore objects, IOptions<FirstRunOptions> options, IOptions<AuthOptions> auth, ILogger<FirstRunSample> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (!settings.Enabled) return;
        var started = new TaskCompletionSource();
        using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
        using (stoppingToken.Register(() => started.TrySetCanceled(stoppingToken)))
            await started.Task;
        try
        {
            if ((await registry.LoadProjectAsync(settings.Project, stoppingToken)).Objects.Count > 0) return;
            var address = StandaloneComposition.Loopback(server.Features.Get<IServerAddressesFeature>()!.Addresses.First());
            using var http = new HttpClient { BaseAddress = new Uri(address.TrimEnd('/') + "/"), Timeout = TimeSpan.FromMinutes(10) };
            // The host runs its own sample as itself: the in-process service credential.
            if (auth.Value.ServiceKey is { Length: > 0 } serviceKey) http.DefaultRequestHeaders.Add(Credentials.ApiKeyHeader, serviceKey);
            Starting(logger, settings.Customers, settings.Project);
            var result = await new ChurnSampleRun(http, http, objects.PutAsync)
                .RunAsync(new ChurnSampleOptions(settings.Customers, settings.Seed, DateTime.UtcNow, settings.Project,
                    ShiftDays: settings.ShiftDays), stoppingToken);
            Ready(logger, result.Duration.TotalSeconds, result.ModelVersion ?? 0, result.Auc ?? 0, http.BaseAddress);
        }
        catch (Exception e) when (!stoppingToken.IsCancellationRequested)
        {
            Failed(logger, e.Message, e);
        }
    }

    [LoggerMessage(Level = LogLevel.Information,
        Message = "First start: running the churn sample ({Customers} customers, project '{Project}')")]
    private static partial void Starting(ILogger logger, int customers, string project);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Churn sample ready in {Seconds:F0} s: model v{Version}, held-out AUC {Auc:F3}. " +
            "Try: curl -X POST {Address}api/v1/predict/churn -H \"X-API-Key: $FEATURESTORE_KEY\" -H 'content-type: application/json' " +
            "-d '{{\"customerId\": 1}}'")]
    private static partial void Ready(ILogger logger, double seconds, int version, double auc, Uri address);

    [LoggerMessage(Level = LogLevel.Error, Message = "The churn sample did not finish: {Reason}")]
    private static partial void Failed(ILogger logger, string reason, Exception exception);
}
