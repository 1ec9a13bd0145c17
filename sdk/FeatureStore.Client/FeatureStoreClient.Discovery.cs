using System.Text.Json;
using FeatureStore.Contracts;
using FeatureStore.Domain;

namespace FeatureStore.Client;

/// <summary>Discovery: the project's objects (latest versions, or one version), feature search and lineage.</summary>
public sealed partial class FeatureStoreClient
{
    /// <summary>The projects the caller's key covers, with their revision and how many objects of each kind they hold.</summary>
    public Task<IReadOnlyList<ProjectDto>> ListProjectsAsync(CancellationToken cancellationToken = default) =>
        GetAsync<IReadOnlyList<ProjectDto>>(Registry, "projects", cancellationToken);

    public Task<IReadOnlyList<EntityDefinition>> ListEntitiesAsync(string? project = null,
        CancellationToken cancellationToken = default) => ListAsync<EntityDefinition>(ObjectKind.Entity, project, cancellationToken);

    public Task<IReadOnlyList<DataSourceDefinition>> ListDataSourcesAsync(string? project = null,
        CancellationToken cancellationToken = default) =>
        ListAsync<DataSourceDefinition>(ObjectKind.DataSource, project, cancellationToken);

    public Task<IReadOnlyList<FeatureViewDefinition>> ListFeatureViewsAsync(string? project = null,
        CancellationToken cancellationToken = default) =>
        ListAsync<FeatureViewDefinition>(ObjectKind.FeatureView, project, cancellationToken);

    public Task<IReadOnlyList<FeatureServiceDefinition>> ListFeatureServicesAsync(string? project = null,
        CancellationToken cancellationToken = default) =>
        ListAsync<FeatureServiceDefinition>(ObjectKind.FeatureService, project, cancellationToken);

    /// <summary>An object's latest version, or <paramref name="version"/>; a 404 <see cref="FeatureStoreException"/> when there is
    /// none, 410 when it was deleted.</summary>
    public async Task<T> GetObjectAsync<T>(string name, int? version = null, string? project = null,
        CancellationToken cancellationToken = default) where T : class, IRegistryDefinition =>
        (T)await GetObjectAsync(KindOf<T>(), name, version, project, cancellationToken);

    /// <summary>An object of <paramref name="kind"/>: its latest version, or <paramref name="version"/>.</summary>
    public async Task<IRegistryDefinition> GetObjectAsync(ObjectKind kind, string name, int? version = null, string? project = null,
        CancellationToken cancellationToken = default)
    {
        var path = WithProject($"{kind.RouteSegment()}/{Uri.EscapeDataString(name)}{(version is { } v ? $"@{v}" : "")}", project);
        using var response = await SendAsync(Registry, new HttpRequestMessage(HttpMethod.Get, path), cancellationToken);
        return DefinitionJson.Deserialize(kind, await response.Content.ReadAsStringAsync(cancellationToken));
    }

    /// <summary>Every version of an object, deletions included, oldest first.</summary>
    public Task<IReadOnlyList<ObjectVersionDto>> ListVersionsAsync(ObjectKind kind, string name, string? project = null,
        CancellationToken cancellationToken = default) =>
        GetAsync<IReadOnlyList<ObjectVersionDto>>(Registry,
            WithProject($"{kind.RouteSegment()}/{Uri.EscapeDataString(name)}/versions", project), cancellationToken);

    /// <summary>Features whose name, description, owner or tags match <paramref name="query"/> (every feature when null), of
    /// value type <paramref name="type"/> when given (<c>int64</c>, <c>string</c>, …).</summary>
    public Task<IReadOnlyList<FeatureHitDto>> SearchFeaturesAsync(string? query, string? project = null, string? type = null,
        CancellationToken cancellationToken = default)
        => GetAsync<IReadOnlyList<FeatureHitDto>>(Registry, WithProject(Query("features", ("q", query), ("type", type)), project),
            cancellationToken);

    /// <summary>Where a feature (<c>view:feature</c>) comes from and where it goes, down to the models that use it.</summary>
    public Task<LineageDto> GetLineageAsync(string feature, string? project = null, CancellationToken cancellationToken = default) =>
        GetAsync<LineageDto>(Registry, WithProject($"lineage?feature={Uri.EscapeDataString(feature)}", project), cancellationToken);

    private async Task<IReadOnlyList<T>> ListAsync<T>(ObjectKind kind, string? project, CancellationToken cancellationToken)
        where T : class, IRegistryDefinition => (await ListObjectsAsync(kind, project, cancellationToken)).Cast<T>().ToList();

    /// <summary>The latest version of every object of <paramref name="kind"/> in the project.</summary>
    public async Task<IReadOnlyList<IRegistryDefinition>> ListObjectsAsync(ObjectKind kind, string? project = null,
        CancellationToken cancellationToken = default)
    {
        using var response = await SendAsync(Registry, new HttpRequestMessage(HttpMethod.Get, WithProject(kind.RouteSegment(), project)),
            cancellationToken);
        using var body = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(cancellationToken),
            cancellationToken: cancellationToken);
        return body.RootElement.EnumerateArray().Select(item => DefinitionJson.Deserialize(kind, item.GetRawText())).ToList();
    }

    private static ObjectKind KindOf<T>() => typeof(T).Name switch
    {
        nameof(EntityDefinition) => ObjectKind.Entity,
        nameof(DataSourceDefinition) => ObjectKind.DataSource,
        nameof(FeatureViewDefinition) => ObjectKind.FeatureView,
        nameof(OnDemandFeatureViewDefinition) => ObjectKind.OnDemandFeatureView,
        nameof(FeatureServiceDefinition) => ObjectKind.FeatureService,
        nameof(PermissionDefinition) => ObjectKind.Permission,
        _ => throw new ArgumentException($"{typeof(T).Name} is not a registry object"),
    };
}
