using FeatureStore.Contracts;
using FeatureStore.Domain;
using FeatureStore.Messaging;
using FeatureStore.Registry.Storage;
using MassTransit;

namespace FeatureStore.Registry.Schedules;

/// <summary>
/// Fires the drift schedules of feature services (<c>drift.schedule</c>): at each due time one <see cref="CheckFeatureDrift"/> of
/// the window before it, which one feature-api instance takes from its queue. Missed occurrences collapse into one check.
/// </summary>
public sealed partial class DriftScheduler(IDefinitionStore store, IScheduleStore schedules, IBus bus,
    TimeProvider clock, ILogger<DriftScheduler> logger) : IScheduleSweep
{
    private static readonly TimeSpan SendTimeout = TimeSpan.FromSeconds(10);

    public async Task FireDueAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        foreach (var project in await store.ListProjectsAsync(cancellationToken))
            foreach (var service in (await store.ListObjectsAsync(project.Project, ObjectKind.FeatureService, cancellationToken))
                     .Select(o => o.Read<FeatureServiceDefinition>()).Where(s => s.Drift?.Schedule is not null))
            {
                var drift = service.Drift!;
                var since = await schedules.LastDriftCheckAsync(service.Project, service.Name, cancellationToken) ?? service.CreatedAt;
                if (ScheduleSweeper.LatestOccurrence(drift.Schedule!, since, now) is not { } due) continue;
                if (!await schedules.TryRecordDriftCheckAsync(service.Project, service.Name, due, cancellationToken)) continue;
                try
                {
                    var check = new CheckFeatureDrift(service.Project, service.Name, due - drift.Window, due, due);
                    await bus.SendWithinAsync(Queues.CheckDriftAddress, [check], SendTimeout, cancellationToken);
                    Fired(logger, service.Project, service.Name, due);
                }
                catch (Exception e) when (!cancellationToken.IsCancellationRequested)
                {
                    NotSent(logger, service.Project, service.Name, due, e.Message);
                }
            }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Drift schedule of {Project}/{Service} fired for {Due:O}")]
    private static partial void Fired(ILogger logger, string project, string service, DateTimeOffset due);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Drift check of {Project}/{Service} due at {Due:O} was not sent (the next due time checks again): {Reason}")]
    private static partial void NotSent(ILogger logger, string project, string service, DateTimeOffset due, string reason);
}
