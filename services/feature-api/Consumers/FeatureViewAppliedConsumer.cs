using FeatureStore.Contracts;
using FeatureStore.FeatureApi.Infrastructure;
using MassTransit;

namespace FeatureStore.FeatureApi.Consumers;

/// <summary>A new version of a view exists: serve it from now on.</summary>
public sealed class FeatureViewAppliedConsumer(DefinitionCache cache) : IConsumer<FeatureViewApplied>
{
    public Task Consume(ConsumeContext<FeatureViewApplied> context) =>
        cache.RefreshViewAsync(context.Message.Project, context.Message.View);
}
