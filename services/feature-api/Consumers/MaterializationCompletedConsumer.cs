using FeatureStore.Contracts;
using FeatureStore.FeatureApi.Infrastructure;
using MassTransit;

namespace FeatureStore.FeatureApi.Consumers;

/// <summary>Fresh values of a view (possibly of a newer version than cached) are online: refresh its definition.</summary>
public sealed class MaterializationCompletedConsumer(DefinitionCache cache) : IConsumer<MaterializationCompleted>
{
    public Task Consume(ConsumeContext<MaterializationCompleted> context) =>
        cache.RefreshViewAsync(context.Message.Project, context.Message.View);
}
