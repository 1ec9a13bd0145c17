using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using FeatureStore.Contracts;
using FeatureStore.Domain;
using FeatureStore.Storage.Online;
using MassTransit;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace FeatureStore.FeatureApi.Health;

public sealed class OnlineWatchOptions
{
    /// <summary>How often the online store's markers are checked against what the registry says was written.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(10);
}

/// <summary>
/// Notices an online store that lost its data — Redis restarted without persistence, failed over to an empty replica, was
/// flushed — which no read can tell from entities that never had values. Every project a materialization wrote online (the
/// registry's <see cref="IOnlineHistory"/>) must have the store's marker (<see cref="IOnlineStore.MarkedSinceAsync"/>), made
/// no later than this watch first saw it. A loss turns the <c>online-data</c> health check Degraded (naming the projects and
/// the call that restores them), counts in a metric and publishes <see cref="OnlineDataLost"/> once; it ends when a
/// materialization of the project finishes after the loss was detected (a restore) and the marker is back.
/// </summary>
public sealed class OnlineDataWatch(IOnlineStore store, IOnlineHistory history, IBus bus, TimeProvider clock,
    IOptions<OnlineWatchOptions> options, ILogger<OnlineDataWatch> logger, IMeterFactory meters) : BackgroundService, IHealthCheck
{
    public const string MeterName = "FeatureStore.FeatureApi.OnlineData";

    private sealed record Loss(string Reason, DateTimeOffset DetectedAt);

    private readonly ConcurrentDictionary<string, DateTimeOffset> _markersSeen = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Loss> _losses = new(StringComparer.Ordinal);
    private IReadOnlyList<OnlineProject> _expected = [];
    private DateTimeOffset? _checkedAt;
    private Counter<long>? _detected;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var meter = meters.Create(MeterName);
        _detected = meter.CreateCounter<long>("featurestore.online.data_losses", "{loss}",
            "Times a project's online data was found lost (its marker missing or made again)");
        meter.CreateObservableGauge("featurestore.online.projects_lost", () => _losses.Count, "{project}",
            "Projects whose online data is lost and not yet restored");
        using var timer = new PeriodicTimer(options.Value.Interval, clock);
        do
        {
            try { await CheckAsync(stoppingToken); }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                // The store or the registry is away: their own readiness checks say so. Nothing is judged lost meanwhile.
                logger.LogDebug(e, "Online data check skipped: {Reason}", e.Message);
            }
        } while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>One check of every project's marker (the watch runs it on its interval; tests may call it).</summary>
    public async Task CheckAsync(CancellationToken cancellationToken)
    {
        _expected = await history.OnlineProjectsAsync(cancellationToken);
        foreach (var project in _expected)
        {
            var since = await store.MarkedSinceAsync(project.Project, cancellationToken);
            if (_losses.TryGetValue(project.Project, out var loss))
            {
                if (since is { } back && project.LastWrittenAt > loss.DetectedAt)
                {
                    _losses.TryRemove(project.Project, out _);
                    _markersSeen[project.Project] = back;
                    logger.LogInformation("Online data of project {Project} is back (restored after {DetectedAt:O})", project.Project,
                        loss.DetectedAt);
                }
                continue;
            }
            var reason = since switch
            {
                null => "the online store holds no marker for the project although materializations wrote its values: its data was lost",
                { } made when _markersSeen.TryGetValue(project.Project, out var seen) && made > seen =>
                    $"the online store's marker for the project was made again at {made:O} (it had been there since {seen:O}): "
                    + "its data was lost in between",
                _ => null,
            };
            if (reason is null)
            {
                _markersSeen[project.Project] = since!.Value;
                continue;
            }
            await LostAsync(project, reason, cancellationToken);
        }
        _checkedAt = clock.GetUtcNow();
    }

    private async Task LostAsync(OnlineProject project, string reason, CancellationToken cancellationToken)
    {
        var loss = new Loss(reason, clock.GetUtcNow());
        _losses[project.Project] = loss;
        _markersSeen.TryRemove(project.Project, out _);
        _detected?.Add(1, new KeyValuePair<string, object?>("project", project.Project));
        logger.LogWarning("Online data of project {Project} lost: {Reason}; restore it with POST /api/v1/materializations/restore-online",
            project.Project, reason);
        try
        {
            await bus.Publish(new OnlineDataLost(project.Project, reason, loss.DetectedAt, project.LastWrittenAt), cancellationToken);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning(e, "Could not publish OnlineDataLost for project {Project}", project.Project);
        }
    }

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (_checkedAt is null && _losses.IsEmpty)
            return Task.FromResult(HealthCheckResult.Healthy("not checked yet"));
        if (_losses.IsEmpty)
            return Task.FromResult(HealthCheckResult.Healthy($"{_expected.Count} project(s) hold their online data"));
        var lost = string.Join("; ", _losses.OrderBy(l => l.Key, StringComparer.Ordinal)
            .Select(l => $"project '{l.Key}' since {l.Value.DetectedAt:O}: {l.Value.Reason}"));
        return Task.FromResult(HealthCheckResult.Degraded(
            $"online data lost — {lost}. Restore it: POST /api/v1/materializations/restore-online {{\"project\": \"…\"}}"));
    }
}
