using FastEndpoints;
using FeatureStore.Contracts;
using FeatureStore.Registry.Storage;
using FluentValidation;

namespace FeatureStore.Registry.Endpoints.Materializations;

public sealed class ViewMaterializationsRequest : ViewRequest
{
    [QueryParam] public int? Limit { get; set; }
}

/// <summary><c>GET /api/v1/feature-views/{name}/materializations?limit=</c>: a view's jobs, newest first.</summary>
public sealed class ListViewMaterializations(IDefinitionStore store, IJobStore jobStore)
    : ViewHistoryEndpoint<ViewMaterializationsRequest, List<MaterializationJobDto>>(store)
{
    public override void Configure() => Route("feature-views/{name}/materializations");

    public override async Task HandleAsync(ViewMaterializationsRequest request, CancellationToken ct)
    {
        var project = await ProjectOfKnownViewAsync(request, ct);
        var jobs = await jobStore.ListJobsAsync(project, request.Name, request.Limit ?? 50, ct);
        await Send.OkAsync(jobs.Select(j => MaterializationJobDto.From(j)).ToList(), ct);
    }
}

public sealed class ViewMaterializationsRequestValidator : Validator<ViewMaterializationsRequest>
{
    public ViewMaterializationsRequestValidator()
    {
        this.AddViewRules();
        RuleFor(r => r.Limit).InclusiveBetween(1, 1000).WithMessage("must be between 1 and 1000").When(r => r.Limit is not null);
    }
}
