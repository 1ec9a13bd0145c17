using FastEndpoints;
using FeatureStore.Api.Security;
using FeatureStore.Contracts;
using FeatureStore.Domain.Security;
using FeatureStore.ModelApi.Churn;
using FeatureStore.ModelApi.Infrastructure;
using FeatureStore.ModelApi.Serving;
using FeatureStore.ModelApi.Storage;

namespace FeatureStore.ModelApi.Endpoints;

/// <summary><c>POST /api/v1/models/churn/versions/{version}/promote</c>: predictions use this version from now on.</summary>
[Access(FeatureAction.Update)]
public sealed class PromoteChurnModel(IModelStore store, ModelPromotions promotions)
    : Endpoint<ModelVersionRequest, ModelVersionDto>
{
    public override void Configure()
    {
        Post("models/churn/versions/{version}/promote");
        Description(d => d.Produces<ProblemDocument>(404, "application/problem+json"));
    }

    public override async Task HandleAsync(ModelVersionRequest request, CancellationToken ct)
    {
        ModelAccess.Demand(HttpContext, FeatureAction.Update);
        var version = await store.FindVersionAsync(ChurnModelOptions.Model, request.Version, ct);
        if (version is null) ThrowError(r => r.Version, $"churn model version {request.Version} does not exist", 404);
        var details = ModelDetails.Of(version);
        await promotions.PromoteAsync(version, details, ct);
        await Send.OkAsync(details.ToDto(version, promoted: true), ct);
    }
}
