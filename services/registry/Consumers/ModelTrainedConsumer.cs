using FeatureStore.Contracts;
using FeatureStore.Registry.Storage;
using MassTransit;

namespace FeatureStore.Registry.Consumers;

/// <summary>
/// Records, from model-api's <see cref="ModelTrained"/>, which feature-service versions a model version was
/// trained on and serves from, so lineage reaches from a source to the models its features feed.
/// Recording the same event twice changes nothing.
/// </summary>
public sealed class ModelTrainedConsumer(IModelUseStore store) : IConsumer<ModelTrained>
{
    public Task Consume(ConsumeContext<ModelTrained> context)
    {
        var m = context.Message;
        return store.RecordModelUsesAsync(
        [
            new ModelUse(m.Project, m.Model, m.Version, m.TrainingFeatureService, m.TrainingFeatureServiceVersion, "training", m.TrainedAt),
            new ModelUse(m.Project, m.Model, m.Version, m.ServingFeatureService, m.ServingFeatureServiceVersion, "serving", m.TrainedAt),
        ], context.CancellationToken);
    }
}
