using FeatureStore.Domain;

namespace FeatureStore.Registry.Storage;

public static class DefinitionStoreExtensions
{
    /// <summary>A live feature view: the latest version, or the given one unless it is a deletion.</summary>
    public static async Task<FeatureViewDefinition?> FindFeatureViewAsync(this IDefinitionStore store, string project, string name,
        int? version,
        CancellationToken cancellationToken) =>
        await store.FindObjectAsync(project, ObjectKind.FeatureView, name, version, cancellationToken) is { Deleted: false } found
            ? found.Read<FeatureViewDefinition>()
            : null;
}
