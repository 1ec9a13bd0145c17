using FeatureStore.Contracts;
using FeatureStore.Registry.Storage;
using MassTransit;

namespace FeatureStore.Registry.Consumers;

/// <summary>Catalogues the files feature-api wrote to a feature service's log.</summary>
public sealed class FeatureLogWrittenConsumer(IFeatureLogStore store, TimeProvider clock) : IConsumer<FeatureLogWritten>
{
    public Task Consume(ConsumeContext<FeatureLogWritten> context) =>
        store.RecordLogFilesAsync(context.Message, clock.GetUtcNow(), context.CancellationToken);
}
