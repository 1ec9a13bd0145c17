using FastEndpoints;
using FeatureStore.Api.Security;
using FeatureStore.Contracts;
using FeatureStore.Domain.Security;
using FeatureStore.Registry.Storage;
using MassTransit;

namespace FeatureStore.Registry.Endpoints.Materializations;

/// <summary>
/// <c>POST /api/v1/materializations/{id}/cancel</c>: a pending or running job becomes cancelled; workers
/// running its partitions stop, and nothing it had staged offline becomes visible. 409 when already final.
/// </summary>
[Access(FeatureAction.Materialize)]
public sealed class CancelMaterialization(IJobStore store, IPublishEndpoint bus, TimeProvider clock)
    : Endpoint<GetMaterializationRequest, MaterializationJobDto>
{
    public override void Configure()
    {
        Post("materializations/{id}/cancel");
        Description(d => d.Produces<ProblemDocument>(404, "application/problem+json")
            .Produces<ProblemDocument>(409, "application/problem+json"));
    }

    public override async Task HandleAsync(GetMaterializationRequest request, CancellationToken ct)
    {
        var job = await store.FindJobAsync(request.Id, ct);
        if (job is null) ThrowError(r => r.Id, $"materialization job '{request.Id}' does not exist", 404);
        AccessCheck.Demand(HttpContext, FeatureAction.Materialize, job.Project);
        if (!await store.CancelJobAsync(job.Id, clock.GetUtcNow(), ct))
            ThrowError(r => r.Id,
                $"job '{request.Id}' is already {(await store.FindJobAsync(job.Id, ct))!.Status.ToString().ToLowerInvariant()}", 409);
        await bus.Publish(new MaterializationCancelled(job.Id, job.Project, job.View), ct);
        await Send.OkAsync(MaterializationJobDto.From((await store.FindJobAsync(job.Id, ct))!,
            await store.ListPartitionsAsync(job.Id, ct)), ct);
    }
}
