using FeatureStore.Contracts;
using FeatureStore.FeatureApi.Infrastructure;
using MassTransit;

namespace FeatureStore.FeatureApi.Consumers;

/// <summary>A view was deleted: stop serving it (a later read finds it gone in the registry).</summary>
public sealed class FeatureViewDeletedConsumer(DefinitionCache cache) : IConsumer<FeatureViewDeleted>
{
    public Task Consume(ConsumeContext<FeatureViewDeleted> context) =>
        cache.RefreshViewAsync(context.Message.Project, context.Message.View);
}
