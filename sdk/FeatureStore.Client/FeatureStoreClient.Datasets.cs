using FeatureStore.Contracts;

namespace FeatureStore.Client;

/// <summary>Saved datasets: training sets kept by a historical retrieval's <c>saveAs</c>, with how they were made.</summary>
public sealed partial class FeatureStoreClient
{
    /// <summary>The project's datasets the caller may read, by name.</summary>
    public Task<IReadOnlyList<SavedDatasetDto>> ListDatasetsAsync(string? project = null, CancellationToken cancellationToken = default) =>
        GetAsync<IReadOnlyList<SavedDatasetDto>>(FeatureApi, WithProject("datasets", project), cancellationToken);

    /// <summary>How a dataset was made: its features at their versions, the feature service, the entity dataframe's hash.</summary>
    public Task<SavedDatasetDto> GetDatasetAsync(string name, string? project = null, CancellationToken cancellationToken = default) =>
        GetAsync<SavedDatasetDto>(FeatureApi, WithProject($"datasets/{Uri.EscapeDataString(name)}", project), cancellationToken);

    /// <summary>Copies a dataset's rows (Parquet) into <paramref name="output"/>.</summary>
    public async Task DownloadDatasetAsync(string name, Stream output, string? project = null,
        CancellationToken cancellationToken = default)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, WithProject($"datasets/{Uri.EscapeDataString(name)}/data", project));
        using var response = await SendAsync(FeatureApi, request, cancellationToken, HttpCompletionOption.ResponseHeadersRead);
        await response.Content.CopyToAsync(output, cancellationToken);
    }

    /// <summary>Copies a dataset's rows into the Parquet file <paramref name="path"/>.</summary>
    public Task DownloadDatasetAsync(string name, string path, string? project = null, CancellationToken cancellationToken = default) =>
        IntoFileAsync(path, file => DownloadDatasetAsync(name, file, project, cancellationToken));
}
