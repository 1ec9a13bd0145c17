using FeatureStore.Contracts;
using FeatureStore.Registry.Storage;
using MassTransit;

namespace FeatureStore.Registry.Consumers;

/// <summary>Adds a feature-api instance's usage and latency counts to the per-minute totals.</summary>
public sealed class ServingUsageConsumer(IUsageStore store) : IConsumer<ServingUsageRecorded>
{
    public Task Consume(ConsumeContext<ServingUsageRecorded> context) =>
        store.AddUsageAsync(context.Message.Usage, context.Message.Latency, context.CancellationToken);
}
