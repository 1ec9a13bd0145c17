using FastEndpoints;
using FeatureStore.Contracts;
using FeatureStore.Domain;
using FeatureStore.Registry.Endpoints.Objects;
using FeatureStore.Storage.Registry;
using FluentValidation;

namespace FeatureStore.Registry.Endpoints.Materializations;

public sealed class ViewMaterializationsRequest
{
    public string Name { get; set; } = "";
    [QueryParam] public string? Project { get; set; }
    [QueryParam] public int? Limit { get; set; }
}

/// <summary><c>GET /api/v1/feature-views/{name}/materializations?limit=</c>: a view's jobs, newest first.</summary>
public sealed class ListViewMaterializations(IRegistryStore store) : Endpoint<ViewMaterializationsRequest, List<MaterializationJobDto>>
{
    public override void Configure()
    {
        Get("feature-views/{name}/materializations");
        AllowAnonymous();
        Description(d => d.Produces<ProblemDocument>(404, "application/problem+json"));
    }

    public override async Task HandleAsync(ViewMaterializationsRequest request, CancellationToken ct)
    {
        var project = ProjectNames.Or(request.Project);
        if ((await store.ListVersionsAsync(project, ObjectKind.FeatureView, request.Name, ct)).Count == 0)
            ThrowError(r => r.Name, $"feature view '{request.Name}' has never existed in project '{project}'", 404);
        var jobs = await store.ListJobsAsync(project, request.Name, request.Limit ?? 50, ct);
        await Send.OkAsync(jobs.Select(j => MaterializationJobDto.From(j)).ToList(), ct);
    }
}

public sealed class ViewMaterializationsRequestValidator : Validator<ViewMaterializationsRequest>
{
    public ViewMaterializationsRequestValidator()
    {
        RuleFor(r => r.Name).MustBeName();
        RuleFor(r => r.Project).MustBeName().When(r => r.Project is not null);
        RuleFor(r => r.Limit).InclusiveBetween(1, 1000).WithMessage("must be between 1 and 1000").When(r => r.Limit is not null);
    }
}
