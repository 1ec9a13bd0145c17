using FeatureStore.Contracts;

namespace FeatureStore.Registry.Storage;

/// <summary>The feature sets of the Feature Store 2.0 calls (docs/compatibility.md): what each was declared with and its features,
/// kept beside the feature view it becomes once it has a feature.</summary>
public interface IFeatureSetStore
{
    Task<FeatureSetDto?> FindFeatureSetAsync(string project, string name, CancellationToken cancellationToken);

    /// <summary>Adds a new set; false when the project has one of that name already.</summary>
    Task<bool> AddFeatureSetAsync(FeatureSetDto set, CancellationToken cancellationToken);

    /// <summary>Replaces a set, unless it is no longer <paramref name="previous"/> (another change came first): false.</summary>
    Task<bool> ReplaceFeatureSetAsync(FeatureSetDto set, FeatureSetDto previous, CancellationToken cancellationToken);
}
