using FastEndpoints;
using FeatureStore.Contracts;
using FeatureStore.ModelApi.Churn;
using FeatureStore.ModelApi.Storage;

namespace FeatureStore.ModelApi.Endpoints;

/// <summary><c>GET /api/v1/models/churn</c>: every version with its metrics, and which one is promoted.</summary>
public sealed class ListChurnModels(IModelStore store) : EndpointWithoutRequest<ModelVersionsDto>
{
    public override void Configure()
    {
        Get("models/churn");
        AllowAnonymous();
    }

    public override async Task HandleAsync(CancellationToken ct)
    {
        var promoted = await store.PromotedAsync(ChurnModelOptions.Model, ct);
        var versions = await store.ListVersionsAsync(ChurnModelOptions.Model, ct);
        await Send.OkAsync(new ModelVersionsDto(ChurnModelOptions.Model, promoted,
            versions.Select(v => ModelDetails.Of(v).ToDto(v, v.Version == promoted)).ToList()), ct);
    }
}
