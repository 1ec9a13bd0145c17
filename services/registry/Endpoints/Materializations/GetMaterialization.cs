using FastEndpoints;
using FeatureStore.Contracts;
using FeatureStore.Registry.Storage;

namespace FeatureStore.Registry.Endpoints.Materializations;

public sealed class GetMaterializationRequest
{
    public Guid Id { get; set; }
}

/// <summary><c>GET /api/v1/materializations/{id}</c>: a job's state, window, counts, duration and error.</summary>
public sealed class GetMaterialization(IJobStore store) : Endpoint<GetMaterializationRequest, MaterializationJobDto>
{
    public override void Configure()
    {
        Get("materializations/{id}");
        AllowAnonymous();
        Description(d => d.Produces<ProblemDocument>(404, "application/problem+json"));
    }

    public override async Task HandleAsync(GetMaterializationRequest request, CancellationToken ct)
    {
        var job = await store.FindJobAsync(request.Id, ct);
        if (job is null) ThrowError(r => r.Id, $"materialization job '{request.Id}' does not exist", 404);
        await Send.OkAsync(MaterializationJobDto.From(job, await store.ListPartitionsAsync(job.Id, ct)), ct);
    }
}
