using System.Diagnostics;
using FeatureStore.Contracts;
using FeatureStore.Domain;
using FeatureStore.PipelineWorker.Materialization;
using MassTransit;

namespace FeatureStore.PipelineWorker.Consumers;

/// <summary>
/// Runs one partition of a materialization job and reports it. Idempotent: a redelivered command (after
/// a crash, say) recomputes the same rows, the online store ignores writes that are not newer, offline
/// files are overwritten under the same names, and the registry ignores a second completion. A job that
/// is already final (cancelled, say) is skipped. A <see cref="MaterializationException"/> fails the
/// partition at once; anything else is retried by the bus and, when it keeps failing, faulted.
/// </summary>
public sealed partial class MaterializeFeatureViewConsumer(
    IDefinitionCatalog catalog, IJobStatusLookup jobs, FeatureViewMaterializer materializer, RunningJobs running, TimeProvider clock,
    ILogger<MaterializeFeatureViewConsumer> logger) : IConsumer<MaterializeFeatureView>
{
    private static readonly string Worker = $"{Environment.MachineName}:{Environment.ProcessId}";
    private static readonly TimeSpan ProgressEvery = TimeSpan.FromSeconds(1);

    public async Task Consume(ConsumeContext<MaterializeFeatureView> context)
    {
        var job = context.Message;
        var status = await jobs.StatusAsync(job.JobId, context.CancellationToken);
        if (status is null || status.Value.IsFinal())
        {
            Skipped(logger, job.JobId, job.PartitionIndex, status?.ToString() ?? "unknown to the registry");
            return;
        }
        var elapsed = Stopwatch.StartNew();
        using var tracked = running.Track(
            new RunningJob(job.JobId, job.PartitionIndex, job.Project, job.View, job.Version, clock.GetUtcNow()),
            context.CancellationToken);
        await context.Publish(new MaterializationStarted(job.JobId, job.Project, job.View, job.Version, clock.GetUtcNow(),
            job.PartitionIndex, job.PartitionCount, Worker));
        try
        {
            var view = await catalog.FindViewAsync(job.Project, job.View, job.Version, tracked.Token)
                       ?? throw new MaterializationException(
                           $"version {job.Version} of feature view '{job.View}' does not exist in project '{job.Project}'");
            var lastReport = Stopwatch.StartNew();
            var outcome = await materializer.RunAsync(view, new TimeWindow(job.WindowStart, job.WindowEnd),
                new RunTarget(job.JobId, job.PartitionIndex, job.PartitionCount, job.PushCut), (done, total) =>
                {
                    if (lastReport.Elapsed < ProgressEvery && done < total) return;
                    lastReport.Restart();
                    _ = context.Publish(new MaterializationProgressed(job.JobId, job.Project, job.View, job.Version,
                        done, total, job.PartitionIndex, job.PartitionCount));
                }, tracked.Token);
            Completed(logger, job.JobId, job.PartitionIndex, job.PartitionCount, job.View, job.Version,
                outcome.RowsRead, outcome.RowsInWindow,
                outcome.InvalidRows, outcome.RowsWritten, outcome.OnlineKeysWritten,
                outcome.OfflineFiles.Count, outcome.Duration.TotalMilliseconds);
            await context.Publish(new MaterializationCompleted(job.JobId, job.Project, job.View, job.Version,
                job.WindowStart, job.WindowEnd,
                outcome.RowsRead, outcome.RowsWritten, outcome.OnlineKeysWritten, outcome.OfflineFiles, elapsed.Elapsed, clock.GetUtcNow(),
                job.PartitionIndex, job.PartitionCount, outcome.RowsInWindow, outcome.InvalidRows,
                outcome.RuleFailures, outcome.Statistics, outcome.NewestEventTime));
        }
        catch (MaterializationException e)
        {
            Failed(logger, job.JobId, job.PartitionIndex, job.View, job.Version, e.Message);
            await context.Publish(new MaterializationFailed(job.JobId, job.Project, job.View, job.Version,
                e.Message, elapsed.Elapsed, clock.GetUtcNow(),
                job.PartitionIndex, job.PartitionCount));
        }
        catch (OperationCanceledException) when (tracked.WasCancelled && !context.CancellationToken.IsCancellationRequested)
        {
            // The registry already recorded the cancellation; what was written stays invisible offline and never older online.
            Cancelled(logger, job.JobId, job.PartitionIndex, job.View);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message =
        "Materialized {View} v{Version} job {JobId} partition {Partition}/{Partitions}: {RowsRead} rows read, " +
        "{RowsInWindow} in window, {InvalidRows} invalid, {RowsWritten} latest rows online ({KeysWritten} changed), " +
        "{OfflineFiles} offline files, {DurationMs:F0} ms")]
    private static partial void Completed(ILogger logger, Guid jobId, int partition, int partitions,
        string view, int version, long rowsRead,
        long rowsInWindow, long invalidRows, long rowsWritten, long keysWritten, int offlineFiles, double durationMs);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Materialization of {View} v{Version} job {JobId} partition {Partition} failed: {Reason}")]
    private static partial void Failed(ILogger logger, Guid jobId, int partition, string view, int version, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {JobId} partition {Partition} of {View} was cancelled; stopped")]
    private static partial void Cancelled(ILogger logger, Guid jobId, int partition, string view);

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {JobId} partition {Partition} skipped: the job is {Status}")]
    private static partial void Skipped(ILogger logger, Guid jobId, int partition, string status);
}
