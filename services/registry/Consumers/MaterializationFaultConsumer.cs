using FeatureStore.Contracts;
using FeatureStore.Storage.Registry;
using MassTransit;

namespace FeatureStore.Registry.Consumers;

/// <summary>
/// When pipeline-worker gives up on a command (retries exhausted, message in the error queue),
/// MassTransit publishes a fault; the job then fails with the worker's reason instead of hanging.
/// </summary>
public sealed class MaterializationFaultConsumer(IRegistryStore store, TimeProvider clock) : IConsumer<Fault<MaterializeFeatureView>>
{
    public Task Consume(ConsumeContext<Fault<MaterializeFeatureView>> context)
    {
        var reasons = context.Message.Exceptions.Select(e => $"{e.ExceptionType}: {e.Message}").Distinct();
        return store.MarkJobFailedAsync(context.Message.Message.JobId,
            $"pipeline-worker gave up after retries: {string.Join("; ", reasons)}", null, clock.GetUtcNow(), context.CancellationToken);
    }
}
