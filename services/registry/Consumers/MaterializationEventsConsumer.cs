using FeatureStore.Contracts;
using FeatureStore.Storage.Registry;
using MassTransit;

namespace FeatureStore.Registry.Consumers;

/// <summary>
/// Records what pipeline-worker reports about a job. Transitions only move forward, so a redelivered
/// or late event (a "started" after "completed") changes nothing.
/// </summary>
public sealed class MaterializationEventsConsumer(IRegistryStore store) :
    IConsumer<MaterializationStarted>, IConsumer<MaterializationCompleted>, IConsumer<MaterializationFailed>
{
    public Task Consume(ConsumeContext<MaterializationStarted> context) =>
        store.MarkJobRunningAsync(context.Message.JobId, context.Message.StartedAt, context.CancellationToken);

    public Task Consume(ConsumeContext<MaterializationCompleted> context)
    {
        var done = context.Message;
        return store.MarkJobSucceededAsync(done.JobId,
            new JobOutcome(done.RowsRead, done.RowsWritten, done.OnlineKeysWritten, done.Duration, done.CompletedAt),
            context.CancellationToken);
    }

    public Task Consume(ConsumeContext<MaterializationFailed> context) =>
        store.MarkJobFailedAsync(context.Message.JobId, context.Message.Reason, context.Message.Duration, context.Message.FailedAt,
            context.CancellationToken);
}
