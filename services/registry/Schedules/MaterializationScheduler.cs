using FeatureStore.Api;
using FeatureStore.Domain;
using FeatureStore.Registry.Materializations;
using FeatureStore.Registry.Storage;

namespace FeatureStore.Registry.Schedules;

/// <summary>
/// Fires the cron schedules of feature views: at each due occurrence, an incremental run up to that time.
/// Missed occurrences collapse into one run (it covers everything since the last). Each occurrence is
/// recorded under a unique key first, so several registry replicas fire it once; a view whose previous
/// job still runs skips the occurrence.
/// </summary>
public sealed partial class MaterializationScheduler(IDefinitionStore store, IScheduleStore schedules, JobLauncher launcher,
    TimeProvider clock, ILogger<MaterializationScheduler> logger) : IScheduleSweep
{
    public async Task FireDueAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        foreach (var project in await store.ListProjectsAsync(cancellationToken))
            foreach (var view in (await store.ListObjectsAsync(project.Project, ObjectKind.FeatureView, cancellationToken))
                     .Select(o => o.Read<FeatureViewDefinition>()).Where(v => v.Schedule is not null))
            {
                var since = await schedules.LastScheduleFireAsync(view.Project, view.Name, cancellationToken) ?? view.CreatedAt;
                if (ScheduleSweeper.LatestOccurrence(view.Schedule!, since, now) is not { } due) continue;
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

    [LoggerMessage(Level = LogLevel.Information, Message = "Schedule of {Project}/{View} fired for {Due:O}: job {JobId}")]
    private static partial void Fired(ILogger logger, string project, string view, DateTimeOffset due, Guid jobId);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Schedule of {Project}/{View} due at {Due:O} skipped: its previous job still runs")]
    private static partial void Skipped(ILogger logger, string project, string view, DateTimeOffset due);
}
