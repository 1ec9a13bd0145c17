using FeatureStore.Api;
using FeatureStore.Contracts;
using FeatureStore.Domain.Security;
using FeatureStore.FeatureApi.Serving;

namespace FeatureStore.FeatureApi.Historical;

/// <summary>
/// Saved datasets as a caller may see them. A dataset holds its features' values, so it is the caller's only when it may read every
/// one of them offline, as a historical retrieval of them would need: one dataset is refused (403 naming them), a list leaves it out.
/// </summary>
public sealed class ReadableDatasets(SavedDatasets datasets, FeatureSelector selector)
{
    /// <summary>The dataset, or null when there is none; a 403 when <paramref name="reader"/> may not read all its features.</summary>
    public async Task<SavedDatasetDto?> FindAsync(string project, string name, Principal? reader, CancellationToken cancellationToken)
    {
        var dataset = await datasets.FindAsync(project, name, cancellationToken);
        if (dataset is null || reader is null) return dataset;
        await selector.DemandAsync(dataset.Project, await SelectAsync(dataset, cancellationToken), reader, FeatureAction.ReadOffline,
            cancellationToken);
        return dataset;
    }

    /// <summary>The project's datasets <paramref name="reader"/> may read; one whose features no longer resolve (a deleted view) is
    /// left out, since nobody can tell whether it is protected.</summary>
    public async Task<IReadOnlyList<SavedDatasetDto>> ListAsync(string project, Principal? reader, CancellationToken cancellationToken)
    {
        var readable = new List<SavedDatasetDto>();
        foreach (var dataset in await datasets.ListAsync(project, cancellationToken))
        {
            try
            {
                if (await selector.MayAsync(project, await SelectAsync(dataset, cancellationToken), reader, FeatureAction.ReadOffline,
                        cancellationToken))
                    readable.Add(dataset);
            }
            catch (Exception e) when (e is InvalidRequestException or NotFoundException) { }
        }
        return readable;
    }

    private ValueTask<FeatureSelection> SelectAsync(SavedDatasetDto dataset, CancellationToken cancellationToken) =>
        selector.SelectAsync(dataset.Project, dataset.Features, null, dataset.FullFeatureNames, SelectionFields.Api, cancellationToken);
}
