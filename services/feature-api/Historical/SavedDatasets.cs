using System.Text.Json;
using FeatureStore.Contracts;
using FeatureStore.Domain;
using FeatureStore.FeatureApi.Serving;
using FeatureStore.Storage.Objects;

namespace FeatureStore.FeatureApi.Historical;

/// <summary>Saved datasets in the offline store: <c>datasets/{project}/{name}/data.parquet</c> beside <c>dataset.json</c>.</summary>
public sealed class SavedDatasets(IObjectStore objects, TimeProvider clock)
{
    private static string Prefix(string project) => $"datasets/{project}/";

    private static string Prefix(string project, string name) => Prefix(project) + name;

    public async Task<bool> ExistsAsync(string project, string name, CancellationToken cancellationToken) =>
        await objects.StatAsync($"{Prefix(project, name)}/dataset.json", cancellationToken) is not null;

    /// <summary>The project's datasets, by name: the listing is in key order, which is name order since a name
    /// (<see cref="Names.IsValid"/>) holds no character that sorts before the '/' ending it.</summary>
    public async Task<IReadOnlyList<SavedDatasetDto>> ListAsync(string project, CancellationToken cancellationToken)
    {
        var datasets = new List<SavedDatasetDto>();
        foreach (var key in await objects.ListKeysAsync(Prefix(project), cancellationToken))
            if (key.EndsWith("/dataset.json", StringComparison.Ordinal)
                && await FindAsync(project, key.Split('/')[^2], cancellationToken) is { } dataset)
                datasets.Add(dataset);
        return datasets;
    }

    public async Task<SavedDatasetDto?> FindAsync(string project, string name, CancellationToken cancellationToken)
    {
        try
        {
            await using var content = await objects.OpenReadAsync($"{Prefix(project, name)}/dataset.json", cancellationToken);
            return await JsonSerializer.DeserializeAsync<SavedDatasetDto>(content, JsonSerializerOptions.Web, cancellationToken);
        }
        catch (StoredObjectNotFoundException)
        {
            return null;
        }
    }

    /// <summary>Uploads the data, then the description; a dataset exists once its description does.</summary>
    public async Task<SavedDatasetDto> SaveAsync(string project, string name, FeatureSelection selection,
        bool fullFeatureNames, string timestampField,
        string entityHash, long rows, string parquetFile, CancellationToken cancellationToken)
    {
        var dataPath = $"{Prefix(project, name)}/data.parquet";
        await using (var data = File.OpenRead(parquetFile)) await objects.PutAsync(dataPath, data, cancellationToken);
        var features = selection.Outputs.Select(o =>
            new FeatureRef(o.Ref.View, o.Ref.Feature, o.View?.Version ?? o.OnDemand!.Version).ToString()).ToList();
        var dataset = new SavedDatasetDto(project, name, dataPath, rows, clock.GetUtcNow(), features,
            selection.Service?.Name, selection.Service?.Version,
            fullFeatureNames, timestampField, entityHash);
        await objects.PutAsync($"{Prefix(project, name)}/dataset.json",
            new MemoryStream(JsonSerializer.SerializeToUtf8Bytes(dataset, JsonSerializerOptions.Web)),
            cancellationToken);
        return dataset;
    }
}
