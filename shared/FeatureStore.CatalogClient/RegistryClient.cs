using System.Net;
using System.Net.Http.Json;
using FeatureStore.Api;
using FeatureStore.Api.Security;
using FeatureStore.Contracts;
using FeatureStore.Domain;
using FeatureStore.Domain.Monitoring;
using FeatureStore.Domain.Security;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;

namespace FeatureStore.CatalogClient;

/// <summary>
/// Reads definitions from the registry service over HTTP (<c>http://registry</c> via service discovery). When the registry
/// cannot answer (no connection, its own 503 while its database is down, the circuit open) a call throws
/// <see cref="DependencyUnavailableException"/> naming <c>registry</c>: the caller's own caller gets a 503, never a 500.
/// </summary>
public sealed class RegistryClient(HttpClient http)
    : IDefinitionCatalog, IOfflineCatalogWriter, IJobStatusLookup, IOnlineHistory, IApiKeySource
{
    public const string ServiceName = "registry";

    private async Task<IRegistryDefinition?> FindCoreAsync(string project, ObjectKind kind, string name, int? version,
        CancellationToken cancellationToken)
    {
        var path = $"api/v1/{kind.RouteSegment()}/{Uri.EscapeDataString(name)}{(version is { } v ? $"@{v}" : "")}" +
            $"?project={Uri.EscapeDataString(project)}";
        using var response = await http.GetAsync(path, cancellationToken);
        // 404: no such object (or version); 410: that version is a deletion. Either way there is no definition.
        if (response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Gone) return null;
        response.EnsureSuccessStatusCode();
        return DefinitionJson.Deserialize(kind, await response.Content.ReadAsStringAsync(cancellationToken));
    }

    private async Task<IReadOnlyList<IRegistryDefinition>> ListCoreAsync(string project, ObjectKind kind,
        CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync(
            $"api/v1/{kind.RouteSegment()}?project={Uri.EscapeDataString(project)}", cancellationToken);
        response.EnsureSuccessStatusCode();
        using var body = await System.Text.Json.JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(cancellationToken),
            cancellationToken: cancellationToken);
        return body.RootElement.EnumerateArray().Select(item => DefinitionJson.Deserialize(kind, item.GetRawText())).ToList();
    }

    private async Task<long> ProjectRevisionCoreAsync(string project, CancellationToken cancellationToken)
    {
        var answer = await http.GetFromJsonAsync<ProjectRevisionDto>(
            $"api/v1/projects/{Uri.EscapeDataString(project)}/revision", cancellationToken);
        return answer?.Revision ?? 0;
    }

    /// <summary>The history's coverage, then its files as of the same commit: one consistent snapshot over two calls.</summary>
    private async Task<OfflineSnapshot> OfflineSnapshotCoreAsync(string project, string view, int version,
        CancellationToken cancellationToken)
    {
        var query = $"?project={Uri.EscapeDataString(project)}&version={version}";
        var coverage = await http.GetFromJsonAsync<OfflineCoverageDto>(
            $"api/v1/feature-views/{Uri.EscapeDataString(view)}/coverage{query}", cancellationToken)
                       ?? throw new InvalidDataException("the registry answered no coverage");
        var files = await http.GetFromJsonAsync<List<OfflineFileDto>>(
            $"api/v1/feature-views/{Uri.EscapeDataString(view)}/offline-files{query}&asOf={coverage.Sequence}", cancellationToken) ?? [];
        var owners = coverage.Commits.ToDictionary(c => c.Sequence, c => c.ToCommit());
        // Files are listed as of the coverage's last commit, so each one's commit is among those it lists.
        var visible = files.Select(f => (Owner: owners[f.CommitSequence!.Value], File: new CataloguedFile(f.Path, f.Date, f.RowCount,
            f.MinEventTime, f.MaxEventTime, f.ContentHash, f.SizeBytes, f.Masks ?? [], f.EventTies))).ToList();
        return new OfflineSnapshot(coverage.History, coverage.Sequence, visible.Select(v => v.File).ToList(), coverage.Covered,
            OfflineVisibility.EventTiesPossible(visible));
    }

    private async Task<IReadOnlyList<CataloguedFile>> ListPushedFilesCoreAsync(string project, string source, long upTo,
        CancellationToken cancellationToken)
    {
        var path = $"api/v1/data-sources/{Uri.EscapeDataString(source)}/pushed-files?project={Uri.EscapeDataString(project)}&upTo={upTo}";
        var files = await http.GetFromJsonAsync<List<PushedFileDto>>(path, cancellationToken) ?? [];
        return files.Select(f =>
            new CataloguedFile(f.Path, f.Date, f.RowCount, f.MinEventTime, f.MaxEventTime, f.ContentHash, f.SizeBytes)).ToList();
    }

    private async Task CommitPushCoreAsync(string project, string source, Guid pushId, IReadOnlyList<CataloguedFile> logFiles,
        IReadOnlyList<PushedViewFiles> views,
        CancellationToken cancellationToken)
    {
        static OfflineFile File(CataloguedFile f) =>
            new(f.Path, f.Date, f.RowCount, f.MinEventTime, f.MaxEventTime, f.ContentHash, f.SizeBytes, f.EventTies);
        var path = $"api/v1/data-sources/{Uri.EscapeDataString(source)}/pushes?project={Uri.EscapeDataString(project)}";
        using var response = await http.PostAsJsonAsync(path, new RecordPushDto
        {
            PushId = pushId, LogFiles = logFiles.Select(File).ToList(),
            Views = views.Select(v =>
                new PushedViewFilesDto { View = v.View, Version = v.Version, Files = v.Files.Select(File).ToList() }).ToList(),
        }, cancellationToken);
        response.EnsureSuccessStatusCode();
    }

    private async Task<JobStatus?> StatusCoreAsync(Guid jobId, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync($"api/v1/materializations/{jobId}", cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound) return null;
        response.EnsureSuccessStatusCode();
        using var body = await System.Text.Json.JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(cancellationToken),
            cancellationToken: cancellationToken);
        return System.Text.Json.JsonSerializer.Deserialize<JobStatus>(body.RootElement.GetProperty("status"));
    }

    private async Task<string> PingCoreAsync(CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync("alive", cancellationToken);
        response.EnsureSuccessStatusCode();
        return $"{http.BaseAddress} alive";
    }

    public Task<IRegistryDefinition?> FindAsync(string project, ObjectKind kind, string name, int? version,
        CancellationToken cancellationToken) => Reachable(() => FindCoreAsync(project, kind, name, version, cancellationToken));

    public Task<IReadOnlyList<IRegistryDefinition>> ListAsync(string project, ObjectKind kind, CancellationToken cancellationToken) =>
        Reachable(() => ListCoreAsync(project, kind, cancellationToken));

    public Task<long> ProjectRevisionAsync(string project, CancellationToken cancellationToken) =>
        Reachable(() => ProjectRevisionCoreAsync(project, cancellationToken));

    public Task<OfflineSnapshot> OfflineSnapshotAsync(string project, string view, int version, CancellationToken cancellationToken) =>
        Reachable(() => OfflineSnapshotCoreAsync(project, view, version, cancellationToken));

    public Task<IReadOnlyList<CataloguedFile>> ListPushedFilesAsync(string project, string source, long upTo,
        CancellationToken cancellationToken) => Reachable(() => ListPushedFilesCoreAsync(project, source, upTo, cancellationToken));

    public Task<IReadOnlyList<CataloguedFile>> ListFeatureLogFilesAsync(string project, string service, DateTimeOffset start,
        DateTimeOffset end, CancellationToken cancellationToken) => Reachable(async () =>
    {
        var path = $"api/v1/feature-services/{Uri.EscapeDataString(service)}/logs?project={Uri.EscapeDataString(project)}" +
                   $"&start={Uri.EscapeDataString(WireTime.Text(start))}&end={Uri.EscapeDataString(WireTime.Text(end))}";
        var log = await http.GetFromJsonAsync<FeatureLogDto>(path, cancellationToken);
        return (IReadOnlyList<CataloguedFile>)(log?.Files ?? []).Select(f =>
            new CataloguedFile(f.Path, f.Date, f.RowCount, f.MinTime, f.MaxTime, f.ContentHash, f.SizeBytes)).ToList();
    });

    public Task<IReadOnlyList<PromotedModel>> ListPromotedModelsAsync(string project, CancellationToken cancellationToken) =>
        Reachable(async () => (await http.GetFromJsonAsync<PromotedModelsDto>(
            $"api/v1/models/promoted?project={Uri.EscapeDataString(project)}", cancellationToken))?.Models ?? []);

    public Task CommitPushAsync(string project, string source, Guid pushId, IReadOnlyList<CataloguedFile> logFiles,
        IReadOnlyList<PushedViewFiles> views, CancellationToken cancellationToken) =>
        Reachable(async () =>
        {
            await CommitPushCoreAsync(project, source, pushId, logFiles, views, cancellationToken);
            return true;
        });

    public Task<JobStatus?> StatusAsync(Guid jobId, CancellationToken cancellationToken) =>
        Reachable(() => StatusCoreAsync(jobId, cancellationToken));

    public Task<string> PingAsync(CancellationToken cancellationToken) => Reachable(() => PingCoreAsync(cancellationToken));

    public Task<IReadOnlyList<OnlineProject>> OnlineProjectsAsync(CancellationToken cancellationToken) => Reachable(async () =>
    {
        var projects = await http.GetFromJsonAsync<List<OnlineProjectDto>>("api/v1/materializations/online-projects", cancellationToken)
                       ?? [];
        return (IReadOnlyList<OnlineProject>)projects.Select(p => new OnlineProject(p.Project, p.FirstWrittenAt, p.LastWrittenAt)).ToList();
    });

    /// <summary>What the registry says a key's text proves (<c>POST admin/keys/verify</c>, with this service's credential).</summary>
    public Task<ApiKey?> FindAsync(string text, CancellationToken cancellationToken) => Reachable(async () =>
    {
        using var response = await http.PostAsJsonAsync("api/v1/admin/keys/verify", new VerifyApiKeyRequest { Key = text },
            cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound) return null;
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<ApiKeyDto>(cancellationToken))?.ToKey();
    });

    private static async Task<T> Reachable<T>(Func<Task<T>> call)
    {
        try { return await call(); }
        catch (Exception e) when (ServiceClients.IsUnavailable(e))
        {
            throw new DependencyUnavailableException([new FieldError(ServiceName, $"the registry could not be reached: {e.Message}")]);
        }
    }
}

public static class RegistryClientRegistration
{
    /// <summary>
    /// Uses the registry over HTTP unless the host already provides definitions in process (the
    /// standalone host registers the store-backed catalog). The readiness check follows whichever is used.
    /// </summary>
    public static TBuilder AddRegistryClient<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        if (builder.Services.Any(s => s.ServiceType == typeof(RegistryClient))) return builder;
        builder.Services.AddHttpClient<RegistryClient>(http => http.BaseAddress = new Uri($"http://{RegistryClient.ServiceName}/"))
            .AddServiceCredential()
            .AddServiceClientResilience();
        builder.Services.TryAddTransient<IDefinitionCatalog>(services => services.GetRequiredService<RegistryClient>());
        builder.Services.TryAddTransient<IOfflineCatalogWriter>(services => services.GetRequiredService<RegistryClient>());
        builder.Services.TryAddTransient<IJobStatusLookup>(services => services.GetRequiredService<RegistryClient>());
        builder.Services.TryAddTransient<IOnlineHistory>(services => services.GetRequiredService<RegistryClient>());
        builder.Services.TryAddTransient<IApiKeySource>(services => services.GetRequiredService<RegistryClient>());
        builder.Services.AddHealthChecks().Add(new HealthCheckRegistration("registry-service",
            services => new RegistryHealthCheck(services.GetRequiredService<IDefinitionCatalog>()), HealthStatus.Unhealthy, tags: null));
        return builder;
    }

    /// <summary>Readiness: the registry answers (or definitions come from this very process).</summary>
    private sealed class RegistryHealthCheck(IDefinitionCatalog catalog) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            if (catalog is not RegistryClient client) return HealthCheckResult.Healthy("in process");
            try { return HealthCheckResult.Healthy(await client.PingAsync(cancellationToken)); }
            catch (Exception e) { return new HealthCheckResult(context.Registration.FailureStatus, e.Message, e); }
        }
    }
}
