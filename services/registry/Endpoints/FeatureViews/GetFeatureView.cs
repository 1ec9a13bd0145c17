using FastEndpoints;
using FeatureStore.Contracts;
using FeatureStore.Domain;
using FeatureStore.Storage.Registry;
using FluentValidation;

namespace FeatureStore.Registry.Endpoints.FeatureViews;

public sealed class GetFeatureViewRequest
{
    public string Name { get; set; } = "";
    [QueryParam] public string? Project { get; set; }
    [QueryParam] public int? Version { get; set; }
}

/// <summary><c>GET /api/v1/feature-views/{name}?project=&amp;version=</c>: the latest (or a given) version of a view.</summary>
public sealed class GetFeatureView(IRegistryStore store) : Endpoint<GetFeatureViewRequest, FeatureViewVersionDto>
{
    public override void Configure()
    {
        Get("feature-views/{name}");
        AllowAnonymous();
        Description(d => d.Produces<ProblemDocument>(404, "application/problem+json"));
    }

    public override async Task HandleAsync(GetFeatureViewRequest request, CancellationToken ct)
    {
        var project = request.Project ?? Names.DefaultProject;
        var view = await store.FindFeatureViewAsync(project, request.Name, request.Version, ct);
        if (view is null)
        {
            var what = request.Version is { } v ? $"version {v} of feature view '{request.Name}'" : $"feature view '{request.Name}'";
            ThrowError(r => r.Name, $"{what} does not exist in project '{project}'", 404);
        }
        await Send.OkAsync(view.ToDto(), ct);
    }
}

public sealed class GetFeatureViewValidator : Validator<GetFeatureViewRequest>
{
    public GetFeatureViewValidator()
    {
        RuleFor(r => r.Name).MustBeName();
        RuleFor(r => r.Project).MustBeName().When(r => r.Project is not null);
        RuleFor(r => r.Version).GreaterThan(0).WithMessage("must be 1 or more").When(r => r.Version is not null);
    }
}
