using Cronos;
using FeatureStore.Api;
using FeatureStore.Domain;
using FeatureStore.Registry.Storage;

namespace FeatureStore.Registry.Materializations;

/// <summary>
/// Fires the cron schedules of feature views: at each due occurrence, an incremental run up to that time.
/// Missed occurrences collapse into one run (it covers everything since the last). Each occurrence is
/// recorded under a unique key first, so several registry replicas fire it once; a view whose previous
/// job still runs skips the occurrence.
/// </summary>
public sealed partial class MaterializationScheduler(IDefinitionStore store, IScheduleStore schedules, JobLauncher launcher,
    TimeProvider clock, IConfiguration configuration,
    ILogger<MaterializationScheduler> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = configuration.GetValue<TimeSpan?>("FeatureStore:Scheduler:Interval") ?? TimeSpan.FromSeconds(15);
        while (!stoppingToken.IsCancellationRequested)
        {
            try { await FireDueAsync(stoppingToken); }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { return; }
            catch (Exception e) { SweepFailed(logger, e.Message, e); }
            await Task.Delay(interval, clock, stoppingToken).ContinueWith(_ => { }, CancellationToken.None);
        }
    }

    public async Task FireDueAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        foreach (var project in await store.ListProjectsAsync(cancellationToken))
            foreach (var view in (await store.ListObjectsAsync(project.Project, ObjectKind.FeatureView, cancellationToken))
                     .Select(o => o.Read<FeatureViewDefinition>()).Where(v => v.Schedule is not null))
            {
                var since = await schedules.LastScheduleFireAsync(view.Project, view.Name, cancellationToken) ?? view.CreatedAt;
                if (LatestOccurrence(view.Schedule!, since, now) is not { } due) continue;
                if (!await schedules.TryRecordScheduleFireAsync(view.Project, view.Name, due, cancellationToken)) continue;
                try
                {
                    var window = await launcher.IncrementalWindowAsync(view, due, cancellationToken);
                    if (window.End < window.Start) continue;
                    var job = await launcher.StartAsync(view, window, partitions: 1, incremental: true, cancellationToken);
                    Fired(logger, view.Project, view.Name, due, job.Id);
                }
                catch (ActiveJobExistsException)
                {
                    Skipped(logger, view.Project, view.Name, due);
                }
            }
    }

    /// <summary>The last occurrence after <paramref name="since"/> and at or before <paramref name="now"/>, if any.</summary>
    public static DateTimeOffset? LatestOccurrence(string schedule, DateTimeOffset since, DateTimeOffset now)
    {
        var format = schedule.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length == 6
            ? CronFormat.IncludeSeconds
            : CronFormat.Standard;
        var cron = CronExpression.Parse(schedule, format);
        DateTimeOffset? latest = null;
        for (var next = cron.GetNextOccurrence(since, TimeZoneInfo.Utc); next is { } at && at <= now;
            next = cron.GetNextOccurrence(at, TimeZoneInfo.Utc))
            latest = at;
        return latest;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Schedule of {Project}/{View} fired for {Due:O}: job {JobId}")]
    private static partial void Fired(ILogger logger, string project, string view, DateTimeOffset due, Guid jobId);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Schedule of {Project}/{View} due at {Due:O} skipped: its previous job still runs")]
    private static partial void Skipped(ILogger logger, string project, string view, DateTimeOffset due);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Schedule sweep failed: {Reason}")]
    private static partial void SweepFailed(ILogger logger, string reason, Exception exception);
}
