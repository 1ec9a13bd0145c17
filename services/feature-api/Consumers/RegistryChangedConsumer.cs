using FeatureStore.Contracts;
using FeatureStore.Domain;
using FeatureStore.FeatureApi.Infrastructure;
using MassTransit;

namespace FeatureStore.FeatureApi.Consumers;

/// <summary>
/// Any object of a project changed (on-demand views, feature services and entities have no event of
/// their own): refresh each one named, and the project's cached lists with them.
/// </summary>
public sealed class RegistryChangedConsumer(DefinitionCache cache) : IConsumer<RegistryChanged>
{
    public async Task Consume(ConsumeContext<RegistryChanged> context)
    {
        foreach (var change in context.Message.Changes)
            if (ObjectKinds.TryParse(change.Kind, out var kind)) await cache.RefreshAsync(context.Message.Project, kind, change.Name);
        cache.Saw(context.Message.Project, context.Message.Revision);
    }
}
