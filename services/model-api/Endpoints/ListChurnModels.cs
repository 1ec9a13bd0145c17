using FastEndpoints;
using FeatureStore.Api.Security;
using FeatureStore.Contracts;
using FeatureStore.Domain.Security;
using FeatureStore.ModelApi.Churn;
using FeatureStore.ModelApi.Infrastructure;
using FeatureStore.ModelApi.Storage;

namespace FeatureStore.ModelApi.Endpoints;

/// <summary><c>GET /api/v1/models/churn</c>: every version with its metrics, and which one is promoted.</summary>
[Access(FeatureAction.Describe)]
public sealed class ListChurnModels(IModelStore store) : EndpointWithoutRequest<ModelVersionsDto>
{
    public override void Configure()
    {
        Get("models/churn");
    }

    public override async Task HandleAsync(CancellationToken ct)
    {
        ModelAccess.Demand(HttpContext, FeatureAction.Describe);
        var promoted = await store.PromotedAsync(ChurnModelOptions.Model, ct);
        var versions = await store.ListVersionsAsync(ChurnModelOptions.Model, ct);
        await Send.OkAsync(new ModelVersionsDto(ChurnModelOptions.Model, promoted,
            versions.Select(v => ModelDetails.Of(v).ToDto(v, v.Version == promoted)).ToList()), ct);
    }
}
