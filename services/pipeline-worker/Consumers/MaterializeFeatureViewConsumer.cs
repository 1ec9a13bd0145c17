using System.Diagnostics;
using FeatureStore.Contracts;
using FeatureStore.Domain;
using FeatureStore.PipelineWorker.Materialization;
using MassTransit;

namespace FeatureStore.PipelineWorker.Consumers;

/// <summary>
/// Runs a materialization job and reports it. Idempotent: a redelivered command recomputes the same
/// latest rows, the online store ignores writes that are not newer, and the registry ignores a second
/// completion. A <see cref="MaterializationException"/> fails the job at once; anything else is retried
/// by the bus and, when it keeps failing, faulted to the error queue (the registry then fails the job).
/// </summary>
public sealed partial class MaterializeFeatureViewConsumer(
    IFeatureViewCatalog catalog, FeatureViewMaterializer materializer, RunningJobs active, TimeProvider clock,
    ILogger<MaterializeFeatureViewConsumer> logger) : IConsumer<MaterializeFeatureView>
{
    public async Task Consume(ConsumeContext<MaterializeFeatureView> context)
    {
        var job = context.Message;
        var elapsed = Stopwatch.StartNew();
        using var tracked = active.Track(new RunningJob(job.JobId, job.Project, job.View, job.Version, clock.GetUtcNow()));
        await context.Publish(new MaterializationStarted(job.JobId, job.Project, job.View, job.Version, job.WindowStart, job.WindowEnd, clock.GetUtcNow()));
        try
        {
            var view = await catalog.FindAsync(job.Project, job.View, job.Version, context.CancellationToken)
                       ?? throw new MaterializationException($"version {job.Version} of feature view '{job.View}' does not exist in project '{job.Project}'");
            var outcome = await materializer.RunAsync(view, new TimeWindow(job.WindowStart, job.WindowEnd), context.CancellationToken);
            Completed(logger, job.JobId, job.View, job.Version, outcome.RowsRead, outcome.RowsInWindow, outcome.RowsWritten, outcome.OnlineKeysWritten,
                outcome.Duration.TotalMilliseconds);
            await context.Publish(new MaterializationCompleted(job.JobId, job.Project, job.View, job.Version, job.WindowStart, job.WindowEnd,
                outcome.RowsRead, outcome.RowsWritten, outcome.OnlineKeysWritten, [], elapsed.Elapsed, clock.GetUtcNow()));
        }
        catch (MaterializationException e)
        {
            Failed(logger, job.JobId, job.View, job.Version, e.Message);
            await context.Publish(new MaterializationFailed(job.JobId, job.Project, job.View, job.Version, job.WindowStart, job.WindowEnd,
                e.Message, elapsed.Elapsed, clock.GetUtcNow()));
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message =
        "Materialized {View} v{Version} (job {JobId}): {RowsRead} rows read, {RowsInWindow} in window, {RowsWritten} latest rows, {KeysWritten} online keys changed in {DurationMs:F0} ms")]
    private static partial void Completed(ILogger logger, Guid jobId, string view, int version, long rowsRead, long rowsInWindow, long rowsWritten,
        long keysWritten, double durationMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Materialization of {View} v{Version} (job {JobId}) failed: {Reason}")]
    private static partial void Failed(ILogger logger, Guid jobId, string view, int version, string reason);
}
