using System.Diagnostics;
using FeatureStore.Contracts;
using FeatureStore.PipelineWorker.Compaction;
using FeatureStore.Storage.Objects;
using MassTransit;

namespace FeatureStore.PipelineWorker.Consumers;

/// <summary>
/// Writes a compaction and reports it; the registry commits it. A failure is reported, not retried: nothing of the compaction is
/// visible, and the next run of the history asks for another. An object store that is away is retried by the bus first.
/// </summary>
public sealed partial class CompactOfflineHistoryConsumer(OfflineCompactor compactor, ILogger<CompactOfflineHistoryConsumer> logger)
    : IConsumer<CompactOfflineHistory>
{
    public async Task Consume(ConsumeContext<CompactOfflineHistory> context)
    {
        var compaction = context.Message;
        var elapsed = Stopwatch.StartNew();
        try
        {
            var (files, rows) = await compactor.RunAsync(compaction, context.CancellationToken);
            Compacted(logger, compaction.CompactionId, compaction.View, compaction.History, compaction.Files.Count, files.Count, rows,
                elapsed.Elapsed.TotalMilliseconds);
            await context.Publish(new OfflineHistoryCompacted(compaction.CompactionId, compaction.Project, compaction.View, files, rows,
                elapsed.Elapsed));
        }
        catch (Exception e) when (e is not (OperationCanceledException or ObjectStoreUnavailableException))
        {
            var reason = e is StoredObjectNotFoundException missing
                ? $"a file it rewrites is missing from the object store: {missing.Key}"
                : $"the compaction could not be written: {e.Message}";
            Failed(logger, compaction.CompactionId, compaction.View, reason);
            await context.Publish(new OfflineCompactionFailed(compaction.CompactionId, compaction.Project, compaction.View, reason));
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message =
        "Compacted {View} history v{History} ({CompactionId}): {FilesIn} files rewritten as {FilesOut}, {Rows} rows, {DurationMs:F0} ms")]
    private static partial void Compacted(ILogger logger, Guid compactionId, string view, int history, int filesIn, int filesOut,
        long rows, double durationMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Compaction {CompactionId} of {View} failed: {Reason}")]
    private static partial void Failed(ILogger logger, Guid compactionId, string view, string reason);
}
