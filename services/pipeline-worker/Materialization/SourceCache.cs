using FeatureStore.Storage.Objects;

namespace FeatureStore.PipelineWorker.Materialization;

/// <summary>A view's source as a local file (see <see cref="ObjectFileCache"/>); a missing source fails the run with a reason.</summary>
public sealed class SourceCache(IObjectStore objects, WorkerOptions options)
{
    private readonly ObjectFileCache _files = new(objects, options.CacheDirectory, options.CacheLimitBytes);

    public async Task<string> LocalFileAsync(string key, CancellationToken cancellationToken)
    {
        try
        {
            return await _files.LocalFileAsync(key, cancellationToken);
        }
        catch (StoredObjectNotFoundException e)
        {
            throw new MaterializationException($"the source '{key}' does not exist in the object store", e);
        }
    }
}
