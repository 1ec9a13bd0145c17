using FastEndpoints;
using FeatureStore.Api;
using FeatureStore.Api.Security;
using FeatureStore.Contracts;
using FeatureStore.Domain.Security;
using FeatureStore.ModelApi.Churn;
using FeatureStore.ModelApi.Infrastructure;
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

/// <summary><c>GET /api/v1/models/churn/versions/{version}</c>: one version: features, feature-service versions, metrics,
/// importance.</summary>
[Access(FeatureAction.Describe)]
public sealed class GetChurnModelVersion(IModelStore store)
    : FindOneEndpoint<ModelVersionRequest, ModelVersionDto>("models/churn/versions/{version}")
{
    protected override async Task<ModelVersionDto?> FindAsync(ModelVersionRequest request, CancellationToken ct)
    {
        ModelAccess.Demand(HttpContext, FeatureAction.Describe);
        if (await store.FindVersionAsync(ChurnModelOptions.Model, request.Version, ct) is not { } version) return null;
        var promoted = await store.PromotedAsync(ChurnModelOptions.Model, ct);
        return ModelDetails.Of(version).ToDto(version, promoted == version.Version);
    }

    protected override FieldError Missing(ModelVersionRequest request) =>
        new("version", $"churn model version {request.Version} does not exist");
}
