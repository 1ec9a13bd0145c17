using FastEndpoints;
using FeatureStore.Contracts;
using FeatureStore.ModelApi.Churn;
using FeatureStore.ModelApi.Storage;
using FluentValidation;

namespace FeatureStore.ModelApi.Endpoints;

public sealed class ModelVersionRequest
{
    public int Version { get; set; }
}

public sealed class ModelVersionRequestValidator : Validator<ModelVersionRequest>
{
    public ModelVersionRequestValidator() => RuleFor(r => r.Version).GreaterThan(0).WithMessage("must be a version number (1 or more)");
}

/// <summary><c>GET /api/v1/models/churn/versions/{version}</c>: one version: features, feature-service versions, metrics, importance.</summary>
public sealed class GetChurnModelVersion(IModelStore store) : Endpoint<ModelVersionRequest, ModelVersionDto>
{
    public override void Configure()
    {
        Get("models/churn/versions/{version}");
        AllowAnonymous();
        Description(d => d.Produces<ProblemDocument>(404, "application/problem+json"));
    }

    public override async Task HandleAsync(ModelVersionRequest request, CancellationToken ct)
    {
        var version = await store.FindVersionAsync(ChurnModelOptions.Model, request.Version, ct);
        if (version is null) ThrowError(r => r.Version, $"churn model version {request.Version} does not exist", 404);
        var promoted = await store.PromotedAsync(ChurnModelOptions.Model, ct);
        await Send.OkAsync(ModelDetails.Of(version).ToDto(version, promoted == version.Version), ct);
    }
}
