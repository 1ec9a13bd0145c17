using FastEndpoints;
using FeatureStore.Api.Security;
using FeatureStore.Contracts;
using FeatureStore.Domain;
using FeatureStore.Domain.Security;
using FeatureStore.Registry.Infrastructure;
using FeatureStore.Registry.Storage;

namespace FeatureStore.Registry.Endpoints.Objects;

// The read side of the registry is the same for every kind of object; each kind's endpoints (one
// class per route, see KindEndpoints.cs) only say which kind they serve.

/// <summary><c>GET /api/v1/{kind}?project=&amp;tag=&amp;owner=&amp;entity=&amp;q=</c>: the latest version of each object,
/// filtered.</summary>
[Access(FeatureAction.Describe)]
public abstract class ListObjectsEndpoint<TDefinition>(IDefinitionStore store, ObjectKind kind)
    : Endpoint<ObjectListRequest, List<TDefinition>>
    where TDefinition : IRegistryDefinition
{
    protected ObjectKind Kind => kind;

    public override void Configure()
    {
        Get(Kind.RouteSegment());
    }

    public override async Task HandleAsync(ObjectListRequest request, CancellationToken ct)
    {
        var all = await store.ListObjectsAsync(Names.ProjectOrDefault(request.Project), null, ct);
        var views = all.Where(o => o.Kind == ObjectKind.FeatureView).Select(o => o.Read<FeatureViewDefinition>()).ToDictionary(v => v.Name);
        await Send.OkAsync(all.Where(o => o.Kind == Kind).Select(o => o.Read<TDefinition>())
            .Where(d => ObjectFilters.Matches(d, request, views)).ToList(), ct);
    }
}

/// <summary>Sends one stored version with its ETag; 304 when the client holds it already, 404 or 410 when there is none.</summary>
[Access(FeatureAction.Describe)]
public abstract class SingleObjectEndpoint<TRequest, TDefinition>(IDefinitionStore store, ObjectKind kind) : Endpoint<TRequest, TDefinition>
    where TRequest : notnull where TDefinition : IRegistryDefinition
{
    protected ObjectKind Kind => kind;

    protected async Task SendObjectAsync(string project, string name, int? version, CancellationToken ct)
    {
        var stored = await store.FindObjectAsync(project, Kind, name, version, ct);
        var what = version is { } v ? $"version {v} of {Kind.ToName()} '{name}'" : $"{Kind.ToName()} '{name}'";
        if (stored is null) Refuse(404, $"{what} does not exist in project '{project}'");
        if (stored.Deleted) Refuse(410, $"{what} is a deletion: the object was removed at that version");
        var tag = ETags.ForObject(Kind, name, stored.Version);
        HttpContext.Response.Headers.ETag = tag;
        if (HttpContext.Request.Headers.IfNoneMatch.Any(h => h?.Split(',').Any(t => t.Trim() == tag) == true))
        {
            await Send.StatusCodeAsync(304, ct);
            return;
        }
        // The stored JSON is the definition as the API shows it; sending it as is saves two JSON passes.
        await Send.StringAsync(stored.Definition, 200, "application/json; charset=utf-8", ct);
    }

    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    private void Refuse(int status, string reason)
    {
        AddError(new FluentValidation.Results.ValidationFailure("name", reason));
        ThrowIfAnyErrors(status);
        throw new InvalidOperationException("unreachable");
    }
}

/// <summary><c>GET /api/v1/{kind}/{name}?project=&amp;version=</c>: the latest (or a given) version, with its ETag.</summary>
public abstract class GetObjectEndpoint<TDefinition>(IDefinitionStore store, ObjectKind kind)
    : SingleObjectEndpoint<ObjectRequest, TDefinition>(store, kind)
    where TDefinition : IRegistryDefinition
{
    public override void Configure()
    {
        Get($"{Kind.RouteSegment()}/{{name}}");
        Description(d => d.Produces(304).Produces<ProblemDocument>(404, "application/problem+json")
            .Produces<ProblemDocument>(410, "application/problem+json"));
    }

    public override Task HandleAsync(ObjectRequest request, CancellationToken ct) =>
        SendObjectAsync(Names.ProjectOrDefault(request.Project), request.Name, request.Version, ct);
}

/// <summary><c>GET /api/v1/{kind}/{name}@{version}</c>: one version (<c>@3</c> or <c>@v3</c>).</summary>
public abstract class GetObjectVersionEndpoint<TDefinition>(IDefinitionStore store, ObjectKind kind)
    : SingleObjectEndpoint<ObjectVersionRequest, TDefinition>(store, kind)
    where TDefinition : IRegistryDefinition
{
    public override void Configure()
    {
        Get($"{Kind.RouteSegment()}/{{name}}@{{version}}");
        Description(d => d.Produces(304).Produces<ProblemDocument>(404, "application/problem+json")
            .Produces<ProblemDocument>(410, "application/problem+json"));
    }

    public override Task HandleAsync(ObjectVersionRequest request, CancellationToken ct) =>
        SendObjectAsync(Names.ProjectOrDefault(request.Project), request.Name, request.Number, ct);
}

/// <summary><c>GET /api/v1/{kind}/{name}/versions</c>: every version, deletions included.</summary>
[Access(FeatureAction.Describe)]
public abstract class ListObjectVersionsEndpoint(IDefinitionStore store, ObjectKind kind) : Endpoint<ObjectRequest, List<ObjectVersionDto>>
{
    protected ObjectKind Kind => kind;

    public override void Configure()
    {
        Get($"{Kind.RouteSegment()}/{{name}}/versions");
        Description(d => d.Produces<ProblemDocument>(404, "application/problem+json"));
    }

    public override async Task HandleAsync(ObjectRequest request, CancellationToken ct)
    {
        var project = Names.ProjectOrDefault(request.Project);
        var versions = await store.ListVersionsAsync(project, Kind, request.Name, ct);
        if (versions.Count == 0) ThrowError(r => r.Name, $"{Kind.ToName()} '{request.Name}' has never existed in project '{project}'", 404);
        await Send.OkAsync(versions.Select(v => new ObjectVersionDto(v.Version, v.Deleted, v.Revision, v.CreatedAt)).ToList(), ct);
    }
}
