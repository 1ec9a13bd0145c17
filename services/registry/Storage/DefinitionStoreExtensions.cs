using FeatureStore.Domain;

namespace FeatureStore.Registry.Storage;

public static class DefinitionStoreExtensions
{
    /// <summary>Whether an object ever existed (deleted ones too): a name that never did is a 404, not an empty answer.</summary>
    public static async Task<bool> EverExistedAsync(this IDefinitionStore store, string project, ObjectKind kind, string name,
        CancellationToken cancellationToken) =>
        (await store.ListVersionsAsync(project, kind, name, cancellationToken)).Count > 0;

    /// <summary>A live feature view: the latest version, or the given one unless it is a deletion.</summary>
    public static async Task<FeatureViewDefinition?> FindFeatureViewAsync(this IDefinitionStore store, string project, string name,
        int? version,
        CancellationToken cancellationToken) =>
        await store.FindObjectAsync(project, ObjectKind.FeatureView, name, version, cancellationToken) is { Deleted: false } found
            ? found.Read<FeatureViewDefinition>()
            : null;
}
