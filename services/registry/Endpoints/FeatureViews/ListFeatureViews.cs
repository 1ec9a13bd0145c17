using FastEndpoints;
using FeatureStore.Contracts;
using FeatureStore.Domain;
using FeatureStore.Storage.Registry;
using FluentValidation;

namespace FeatureStore.Registry.Endpoints.FeatureViews;

public sealed class ListFeatureViewsRequest
{
    [QueryParam] public string? Project { get; set; }
}

/// <summary><c>GET /api/v1/feature-views?project=</c>: the latest version of every view in a project.</summary>
public sealed class ListFeatureViews(IRegistryStore store) : Endpoint<ListFeatureViewsRequest, List<FeatureViewVersionDto>>
{
    public override void Configure()
    {
        Get("feature-views");
        AllowAnonymous();
    }

    public override async Task HandleAsync(ListFeatureViewsRequest request, CancellationToken ct)
    {
        var views = await store.ListFeatureViewsAsync(request.Project ?? Names.DefaultProject, ct);
        await Send.OkAsync(views.Select(v => v.ToDto()).ToList(), ct);
    }
}

public sealed class ListFeatureViewsValidator : Validator<ListFeatureViewsRequest>
{
    public ListFeatureViewsValidator() => RuleFor(r => r.Project).MustBeName().When(r => r.Project is not null);
}
