using System.Text.Json;
using FeatureStore.Contracts;
using FeatureStore.Domain;
using FeatureStore.Registry.Materializations;
using FeatureStore.Registry.Offline;
using FeatureStore.Registry.Storage;
using MassTransit;

namespace FeatureStore.Registry.Consumers;

/// <summary>
/// Records what pipeline-worker reports about each partition of a job. Transitions only move forward, so
/// a redelivered or late event (a "started" after "completed", anything after a cancellation) changes
/// nothing. The last partition to complete completes the job and makes its offline files visible.
/// </summary>
public sealed class MaterializationEventsConsumer(IJobProgressStore store, IJobStore jobs, MaterializationMetrics metrics,
    OfflineCompactions compactions, TimeProvider clock) :
    IConsumer<MaterializationStarted>, IConsumer<MaterializationProgressed>, IConsumer<MaterializationCompleted>,
    IConsumer<MaterializationFailed>
{
    public Task Consume(ConsumeContext<MaterializationStarted> context) =>
        store.MarkPartitionRunningAsync(context.Message.JobId, context.Message.PartitionIndex, context.Message.Worker,
            context.Message.StartedAt,
            context.CancellationToken);

    public Task Consume(ConsumeContext<MaterializationProgressed> context) =>
        store.RecordProgressAsync(context.Message.JobId, context.Message.PartitionIndex, context.Message.RowsDone,
            context.Message.RowsTotal,
            clock.GetUtcNow(), context.CancellationToken);

    public async Task Consume(ConsumeContext<MaterializationCompleted> context)
    {
        var done = context.Message;
        var statistics = new RunStatisticsDto(done.Statistics ?? new Dictionary<string, FeatureStatistics>(), done.InvalidRows,
            done.RuleFailures ?? new Dictionary<string, long>(), Approximate: true);
        // The files belong to the history the job writes; the store files them there.
        var files = done.OfflineFiles.Select(f => new OfflineFileRecord(f.Path, done.Project, done.View, done.Version, done.JobId,
            done.PartitionIndex, f.Date, f.RowCount, f.MinEventTime, f.MaxEventTime, f.ContentHash, f.SizeBytes, done.WindowStart,
            done.WindowEnd, null, EventTies: f.EventTies)).ToList();
        var result = await store.CompletePartitionAsync(done.JobId, done.PartitionIndex,
            new PartitionOutcome(done.RowsRead, done.RowsInWindow, done.RowsWritten, done.OnlineKeysWritten, done.InvalidRows,
                done.Duration,
                done.CompletedAt, JsonSerializer.Serialize(statistics, DefinitionJson.Options), files, files.Sum(f => f.RowCount),
                done.NewestEventTime),
            MergeStatistics, context.CancellationToken);
        if (result != PartitionResult.JobSucceeded) return;
        if (await RecordEndAsync(done.JobId, context.CancellationToken) is { Offline: true } job)
            await compactions.AfterRunAsync(job.Project, job.View, job.HistoryVersion, context.CancellationToken);
    }

    private async Task<MaterializationJob?> RecordEndAsync(Guid job, CancellationToken cancellationToken)
    {
        var ended = await jobs.FindJobAsync(job, cancellationToken);
        if (ended is not null) metrics.Ended(ended);
        return ended;
    }

    /// <summary>The job's statistics from its partitions' (as stored), merged.</summary>
    private static string? MergeStatistics(IReadOnlyList<string> partitions)
    {
        var read = partitions.Select(p => JsonSerializer.Deserialize<RunStatisticsDto>(p, DefinitionJson.Options))
            .OfType<RunStatisticsDto>().ToList();
        return read.Count == 0 ? null : JsonSerializer.Serialize(StatisticsMerge.Merge(read), DefinitionJson.Options);
    }

    public async Task Consume(ConsumeContext<MaterializationFailed> context)
    {
        var failed = context.Message;
        var reason = failed.PartitionCount > 1 ? $"partition {failed.PartitionIndex}: {failed.Reason}" : failed.Reason;
        if (await store.FailPartitionAsync(failed.JobId, failed.PartitionIndex, reason, failed.Duration, failed.FailedAt,
                context.CancellationToken))
            await RecordEndAsync(failed.JobId, context.CancellationToken);
    }
}
