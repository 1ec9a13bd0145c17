using FeatureStore.Contracts;
using FeatureStore.Domain.Monitoring;
using FeatureStore.Registry.Storage;
using MassTransit;

namespace FeatureStore.Registry.Consumers;

/// <summary>Records, from model-api's <see cref="ModelPromoted"/>, each model's promoted version and its training set: the default
/// drift reference of the feature services it uses. Recording it again, or an older promotion late, changes nothing.</summary>
public sealed class ModelPromotedConsumer(IModelUseStore store) : IConsumer<ModelPromoted>
{
    public Task Consume(ConsumeContext<ModelPromoted> context)
    {
        var m = context.Message;
        return store.RecordPromotionAsync(new PromotedModel(m.Project, m.Model, m.Version, m.Dataset, m.TrainingFeatureService,
            m.ServingFeatureService, m.PromotedAt), context.CancellationToken);
    }
}
