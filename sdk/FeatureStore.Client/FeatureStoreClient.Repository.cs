using System.Net.Http.Json;
using System.Text;
using FeatureStore.Contracts;

namespace FeatureStore.Client;

/// <summary>Feature repositories: plan (what an apply would change) and apply, from YAML text, a file or objects.</summary>
public sealed partial class FeatureStoreClient
{
    /// <summary>Applies a repository document (YAML or JSON): every object is created, updated or left as it is; with
    /// <paramref name="prune"/> objects the document no longer holds are deleted.</summary>
    public Task<ApplyResultDto> ApplyAsync(string document, bool prune = false, CancellationToken cancellationToken = default) =>
        ApplyCoreAsync(new StringContent(document, Encoding.UTF8, "application/yaml"), dryRun: false, prune, cancellationToken);

    public async Task<ApplyResultDto> ApplyFileAsync(string path, bool prune = false, CancellationToken cancellationToken = default) =>
        await ApplyAsync(await File.ReadAllTextAsync(path, cancellationToken), prune, cancellationToken);

    public Task<ApplyResultDto> ApplyAsync(RepositoryDto repository, bool prune = false, CancellationToken cancellationToken = default) =>
        ApplyCoreAsync(JsonContent.Create(repository, options: Json), dryRun: false, prune, cancellationToken);

    /// <summary>What applying the document would change, changing nothing (<c>feast plan</c>).</summary>
    public Task<ApplyResultDto> PlanAsync(string document, bool prune = false, CancellationToken cancellationToken = default) =>
        ApplyCoreAsync(new StringContent(document, Encoding.UTF8, "application/yaml"), dryRun: true, prune, cancellationToken);

    private Task<ApplyResultDto> ApplyCoreAsync(HttpContent content, bool dryRun, bool prune, CancellationToken cancellationToken) =>
        ReadAsync<ApplyResultDto>(Registry,
            new HttpRequestMessage(HttpMethod.Post, $"apply?dryRun={(dryRun ? "true" : "false")}&prune={(prune ? "true" : "false")}")
            { Content = content }, cancellationToken);
}
