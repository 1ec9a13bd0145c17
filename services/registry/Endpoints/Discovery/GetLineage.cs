using FastEndpoints;
using FeatureStore.Api;
using FeatureStore.Api.Security;
using FeatureStore.Contracts;
using FeatureStore.Domain;
using FeatureStore.Domain.Security;
using FeatureStore.Registry.Definitions;
using FeatureStore.Registry.Endpoints.Objects;
using FeatureStore.Registry.Storage;
using FluentValidation;

namespace FeatureStore.Registry.Endpoints.Discovery;

public sealed class LineageRequest : IProjectScoped
{
    [QueryParam] public string? Project { get; set; }
    /// <summary>The feature, as <c>view:feature</c>.</summary>
    [QueryParam] public string? Feature { get; set; }
}

/// <summary>
/// <c>GET /api/v1/lineage?feature=view:feature</c>: the feature's upstream (sources, entities, views, and the
/// inputs of an on-demand feature) and downstream (on-demand features computed from it, feature services, and
/// the model versions trained on or served from those services), as <see cref="LineageWalk"/> finds them.
/// </summary>
[Access(FeatureAction.Describe)]
public sealed class GetLineage(IDefinitionStore store, IModelUseStore modelUses) : Endpoint<LineageRequest, LineageDto>
{
    public override void Configure()
    {
        Get("lineage");
        Description(d => d.Produces<ProblemDocument>(404, "application/problem+json"));
    }

    public override async Task HandleAsync(LineageRequest request, CancellationToken ct)
    {
        FeatureRef.TryParse(request.Feature, out var reference);
        var project = Names.ProjectOrDefault(request.Project);
        var objects = (await store.ListObjectsAsync(project, null, ct)).Select(o => o.Read()).ToList();
        var lineage = LineageWalk.Of(objects, await modelUses.ListModelUsesAsync(project, ct), reference.View, reference.Feature);
        if (lineage is { } found) await Send.OkAsync(new LineageDto(request.Feature!, found.Nodes, found.Edges), ct);
        else ThrowError(r => r.Feature, $"'{request.Feature}' is not a feature of a live feature view or on-demand feature view", 404);
    }
}

public sealed class LineageRequestValidator : Validator<LineageRequest>
{
    public LineageRequestValidator()
    {
        RuleFor(r => r.Project).MustBeName().When(r => r.Project is not null);
        RuleFor(r => r.Feature).Must(f => FeatureRef.TryParse(f, out var r) && r.Version is null)
            .WithMessage("is required: a feature as 'view:feature'");
    }
}
