using FeatureStore.Contracts;
using FeatureStore.Registry.Storage;
using MassTransit;

namespace FeatureStore.Registry.Consumers;

/// <summary>
/// When pipeline-worker gives up on a command (retries exhausted, message in the error queue),
/// MassTransit publishes a fault; the job then fails with the worker's reason instead of hanging.
/// </summary>
public sealed class MaterializationFaultConsumer(IJobProgressStore store, TimeProvider clock) : IConsumer<Fault<MaterializeFeatureView>>
{
    public Task Consume(ConsumeContext<Fault<MaterializeFeatureView>> context)
    {
        // A fault from another publisher may be sparse; the job must still fail, with whatever reason there is.
        var reasons = (context.Message.Exceptions ?? []).Where(e => e is not null).Select(e => $"{e.ExceptionType}: {e.Message}")
            .Distinct().ToList();
        var reason = reasons.Count > 0 ? string.Join("; ", reasons) : "no reason was given";
        var command = context.Message.Message;
        return store.FailPartitionAsync(command.JobId, command.PartitionIndex, $"pipeline-worker gave up after retries: {reason}", null,
            clock.GetUtcNow(), context.CancellationToken);
    }
}
