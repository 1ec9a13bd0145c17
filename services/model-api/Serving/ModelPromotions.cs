using FeatureStore.Contracts;
using FeatureStore.Messaging;
using FeatureStore.ModelApi.Churn;
using FeatureStore.ModelApi.Storage;
using MassTransit;

namespace FeatureStore.ModelApi.Serving;

/// <summary>
/// Promotes a model version — predictions use it from now on — and announces it (<see cref="ModelPromoted"/>) so the registry
/// knows each model's training set, the default drift reference of its feature services. The promotion stands when the bus is
/// away; the announcement is then lost and logged.
/// </summary>
public sealed partial class ModelPromotions(IModelStore store, ModelCache models, IBus bus, TimeProvider clock,
    ILogger<ModelPromotions> logger)
{
    private static readonly TimeSpan PublishTimeout = TimeSpan.FromSeconds(10);

    public async Task PromoteAsync(ModelVersion version, ModelDetails details, CancellationToken cancellationToken)
    {
        var at = clock.GetUtcNow();
        await store.PromoteAsync(version.Model, version.Version, at, cancellationToken);
        models.Invalidate();
        try
        {
            await bus.PublishWithinAsync(new ModelPromoted(details.Project, version.Model, version.Version, details.Dataset,
                details.TrainingFeatureService.Name, details.ServingFeatureService.Name, at), PublishTimeout, cancellationToken);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            NotAnnounced(logger, version.Model, version.Version, e.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Promotion of {Model} version {Version} was not announced (drift checks keep the previous reference): {Reason}")]
    private static partial void NotAnnounced(ILogger logger, string model, int version, string reason);
}
