using FeatureStore.Contracts;
using FeatureStore.Registry.Storage;
using MassTransit;

namespace FeatureStore.Registry.Consumers;

/// <summary>
/// Records how a compaction ended: its files committed (superseding its inputs) or its failure. A redelivered report changes
/// nothing: a compaction ends once.
/// </summary>
public sealed partial class OfflineCompactionEventsConsumer(IOfflineCompactionStore store, TimeProvider clock,
    ILogger<OfflineCompactionEventsConsumer> logger) : IConsumer<OfflineHistoryCompacted>, IConsumer<OfflineCompactionFailed>
{
    public async Task Consume(ConsumeContext<OfflineHistoryCompacted> context)
    {
        var done = context.Message;
        if (await store.FindCompactionAsync(done.CompactionId, context.CancellationToken) is not { } compaction) return;
        var files = done.Files.Select(f => new OfflineFileRecord(f.Path, compaction.Project, compaction.View, compaction.History,
            compaction.Id, 0, f.Date, f.RowCount, f.MinEventTime, f.MaxEventTime, f.ContentHash, f.SizeBytes, f.MinEventTime,
            f.MaxEventTime, null, EventTies: f.EventTies)).ToList();
        var result = await store.CommitCompactionAsync(compaction.Id, files, clock.GetUtcNow(), context.CancellationToken);
        Ended(logger, compaction.Id, compaction.View, compaction.History, compaction.Inputs.Count, files.Count, done.RowsRead,
            result);
    }

    public Task Consume(ConsumeContext<OfflineCompactionFailed> context) =>
        store.FailCompactionAsync(context.Message.CompactionId, context.Message.Reason, clock.GetUtcNow(), context.CancellationToken);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Compaction {CompactionId} of {View} history v{History}: {FilesIn} files rewritten as {FilesOut} ({Rows} rows): "
                  + "{Result}")]
    private static partial void Ended(ILogger logger, Guid compactionId, string view, int history, int filesIn, int filesOut, long rows,
        CompactionCommit result);
}
