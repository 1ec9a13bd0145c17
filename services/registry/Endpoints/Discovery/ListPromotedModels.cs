using FastEndpoints;
using FeatureStore.Api;
using FeatureStore.Api.Security;
using FeatureStore.Contracts;
using FeatureStore.Domain;
using FeatureStore.Domain.Security;
using FeatureStore.Registry.Storage;
using FluentValidation;

namespace FeatureStore.Registry.Endpoints.Discovery;

public sealed class PromotedModelsRequest : IProjectScoped
{
    [QueryParam] public string? Project { get; set; }
}

/// <summary>
/// <c>GET /api/v1/models/promoted?project=</c>: each model's promoted version with the dataset it was trained on and the feature
/// services it trained on and serves from — what drift checks compare a service with when they are given no reference.
/// </summary>
[Access(FeatureAction.Describe)]
public sealed class ListPromotedModels(IModelUseStore models) : Endpoint<PromotedModelsRequest, PromotedModelsDto>
{
    public override void Configure() => Get("models/promoted");

    public override async Task HandleAsync(PromotedModelsRequest request, CancellationToken ct)
    {
        var project = Names.ProjectOrDefault(request.Project);
        await Send.OkAsync(new PromotedModelsDto(project, await models.ListPromotionsAsync(project, ct)), ct);
    }
}

public sealed class PromotedModelsRequestValidator : Validator<PromotedModelsRequest>
{
    public PromotedModelsRequestValidator() => RuleFor(r => r.Project).MustBeName().When(r => r.Project is not null);
}
