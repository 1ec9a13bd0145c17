using FastEndpoints;
using FeatureStore.Api;
using FeatureStore.Api.Security;
using FeatureStore.Contracts;
using FeatureStore.Domain;
using FeatureStore.Domain.Security;
using FeatureStore.Registry.Infrastructure;
using FeatureStore.Registry.Storage;
using FluentValidation;

namespace FeatureStore.Registry.Endpoints.Projects;

/// <summary><c>GET /api/v1/projects</c>: every project the caller may act in, with its revision and object counts.</summary>
[Access(FeatureAction.Describe)]
public sealed class ListProjects(IDefinitionStore store) : EndpointWithoutRequest<List<ProjectDto>>
{
    public override void Configure()
    {
        Get("projects");
    }

    public override async Task HandleAsync(CancellationToken ct) =>
        await Send.OkAsync((await store.ListProjectsAsync(ct)).Where(p => HttpContext.PrincipalOf()!.Covers(p.Project))
            .Select(ProjectMapping.ToDto).ToList(), ct);
}

public sealed class ProjectRequest : IProjectScoped
{
    public string Project { get; set; } = "";
}

public sealed class ProjectRequestValidator : Validator<ProjectRequest>
{
    public ProjectRequestValidator() => RuleFor(r => r.Project).MustBeName();
}

/// <summary><c>GET /api/v1/projects/{project}</c>: one project; its ETag makes an apply conditional on nothing having changed.</summary>
[Access(FeatureAction.Describe)]
public sealed class GetProject(IDefinitionStore store) : FindOneEndpoint<ProjectRequest, ProjectDto>("projects/{project}")
{
    protected override async Task<ProjectDto?> FindAsync(ProjectRequest request, CancellationToken ct)
    {
        var state = await store.LoadProjectAsync(request.Project, ct);
        if (state.Revision == 0) return null;
        HttpContext.Response.Headers.ETag = ETags.ForProject(state.Project, state.Revision);
        return ProjectMapping.ToDto(new ProjectSummary(state.Project, state.Revision, state.UpdatedAt!.Value,
            state.Objects.GroupBy(o => o.Kind).ToDictionary(g => g.Key, g => g.Count())));
    }

    protected override FieldError Missing(ProjectRequest request) => new("project", $"project '{request.Project}' has never been applied");
}

internal static class ProjectMapping
{
    public static ProjectDto ToDto(ProjectSummary project) => new(project.Project, project.Revision, project.UpdatedAt,
        ObjectKinds.All.ToDictionary(k => k.CollectionName(), k => project.LiveObjects.GetValueOrDefault(k)));
}

/// <summary>
/// <c>GET /api/v1/projects/{project}/revision</c>: only the project's revision (0 when never applied), read without loading its
/// objects; readers that must see every apply made before they asked (historical retrieval) check it on each request.
/// </summary>
[Access(FeatureAction.Describe)]
public sealed class GetProjectRevision(IDefinitionStore store) : Endpoint<ProjectRequest, ProjectRevisionDto>
{
    public override void Configure()
    {
        Get("projects/{project}/revision");
    }

    public override async Task HandleAsync(ProjectRequest request, CancellationToken ct)
    {
        await Send.OkAsync(new ProjectRevisionDto(request.Project, await store.ProjectRevisionAsync(request.Project, ct)), ct);
    }
}
