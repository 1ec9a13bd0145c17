using FeatureStore.Domain;
using FeatureStore.Domain.Security;
using FeatureStore.Storage.Objects;

namespace FeatureStore.PipelineWorker.Materialization;

/// <summary>
/// A view's input as local files (see <see cref="ObjectFileCache"/>): its batch source's object, then — for a view over a
/// push source — the source's push log up to the job's cut, in push order, so a materialization computes pushed rows by
/// the same path as batch rows. A missing batch object fails the run with a reason, unless pushed rows stand in for it.
/// Without a catalog (a materializer on its own, as benchmarks of batch views run it) there are no push logs to read.
/// Nothing is read from a path the view's project may not use (<see cref="SourceScope"/>): the run fails naming it.
/// </summary>
public sealed class SourceCache(IObjectStore objects, WorkerOptions options, IDefinitionCatalog? catalog = null)
{
    private readonly ObjectFileCache _files = new(objects, options.CacheDirectory, options.CacheLimitBytes);

    public async Task<IReadOnlyList<string>> LocalFilesAsync(FeatureViewDefinition view, long? pushCut, CancellationToken cancellationToken)
    {
        // Checked again at each run, with the owner's permissions as they are now: a share may be withdrawn after apply.
        // Without a catalog no share can be confirmed, so only the view's own prefix is read.
        var refusal = catalog is null
            ? SourceScope.Refusal(view.Project, view.Source.Path, [], [])
            : await SourceScope.RefusalAsync(catalog, view.Project, view.Source.Path, cancellationToken);
        if (refusal is not null)
            throw new MaterializationException(
                $"feature view '{view.Name}' of project '{view.Project}' may not read its source: {refusal}");
        var pushed = view.Source.SourceKind == SourceKind.Push && pushCut > 0 && catalog is not null
            ? await catalog.ListPushedFilesAsync(view.Project, view.Source.Name, pushCut.Value, cancellationToken)
            : [];
        var files = new List<string>();
        try
        {
            files.Add(await _files.LocalFileAsync(view.Source.Path, cancellationToken));
        }
        catch (StoredObjectNotFoundException e) when (pushed.Count == 0)
        {
            throw new MaterializationException($"the source '{view.Source.Path}' does not exist in the object store", e);
        }
        catch (StoredObjectNotFoundException)
        {
            // Nothing landed in the batch source yet: what was pushed is all there is.
        }
        foreach (var file in pushed) files.Add(await _files.LocalFileAsync(file.Path, cancellationToken, file.ContentHash));
        return files;
    }
}
