using FastEndpoints;
using FeatureStore.Contracts;
using FeatureStore.Storage.Registry;
using MassTransit;

namespace FeatureStore.Registry.Endpoints.FeatureViews;

/// <summary>
/// <c>POST /api/v1/feature-views</c>: stores a feature view. A changed definition becomes a new version
/// (201); an unchanged one is answered with the current version (200) and changes nothing.
/// </summary>
public sealed class ApplyFeatureView(IRegistryStore store, IPublishEndpoint bus, TimeProvider clock) : Endpoint<FeatureViewDto, FeatureViewVersionDto>
{
    public override void Configure()
    {
        Post("feature-views");
        AllowAnonymous();
        Description(d => d.Produces<FeatureViewVersionDto>(201).Produces<ProblemDocument>(409, "application/problem+json"));
    }

    public override async Task HandleAsync(FeatureViewDto request, CancellationToken ct)
    {
        ApplyResult result;
        try
        {
            result = await store.ApplyFeatureViewAsync(request.ToDefinition(version: 0, createdAt: clock.GetUtcNow()), ct);
        }
        catch (ConcurrentChangeException e)
        {
            ThrowError(r => r.Name, e.Message, 409);
            return;
        }
        var dto = result.View.ToDto();
        if (!result.Changed)
        {
            await Send.OkAsync(dto, ct);
            return;
        }
        // After commit: other services refresh their caches of this view.
        await bus.Publish(new FeatureViewApplied(result.View.Project, result.View.Name, result.View.Version), ct);
        await Send.CreatedAtAsync<GetFeatureView>(new { name = dto.Name }, dto, cancellation: ct);
    }
}
