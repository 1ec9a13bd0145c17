using FeatureStore.Domain.Monitoring;

namespace FeatureStore.Registry.Storage;

/// <summary>A model version's use of a feature service: <see cref="Role"/> is <c>training</c> or <c>serving</c>.</summary>
public sealed record ModelUse(string Project, string Model, int Version, string FeatureService, int FeatureServiceVersion, string Role,
    DateTimeOffset TrainedAt);

/// <summary>Which feature-service versions each model version was trained on and serves from (for lineage), and which version of
/// each model is promoted (model-api tells; drift checks compare with its training set).</summary>
public interface IModelUseStore
{
    /// <summary>Records which feature-service versions a model version was trained on and serves from (again: nothing changes).</summary>
    Task RecordModelUsesAsync(IReadOnlyList<ModelUse> uses, CancellationToken cancellationToken);

    Task<IReadOnlyList<ModelUse>> ListModelUsesAsync(string project, CancellationToken cancellationToken);

    /// <summary>Records a model's promoted version, unless a later promotion of the model is recorded already.</summary>
    Task RecordPromotionAsync(PromotedModel promotion, CancellationToken cancellationToken);

    Task<IReadOnlyList<PromotedModel>> ListPromotionsAsync(string project, CancellationToken cancellationToken);
}
