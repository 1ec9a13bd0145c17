using FastEndpoints;
using FeatureStore.Api;
using FeatureStore.Contracts;
using FeatureStore.Registry.Storage;

namespace FeatureStore.Registry.Endpoints.Materializations;

public sealed class GetMaterializationRequest
{
    public Guid Id { get; set; }
}

/// <summary><c>GET /api/v1/materializations/{id}</c>: a job's state, window, counts, duration and error.</summary>
public sealed class GetMaterialization(IJobStore store)
    : FindOneEndpoint<GetMaterializationRequest, MaterializationJobDto>("materializations/{id}")
{
    protected override async Task<MaterializationJobDto?> FindAsync(GetMaterializationRequest request, CancellationToken ct) =>
        await store.FindJobAsync(request.Id, ct) is { } job
            ? MaterializationJobDto.From(job, await store.ListPartitionsAsync(job.Id, ct))
            : null;

    protected override FieldError Missing(GetMaterializationRequest request) =>
        new("id", $"materialization job '{request.Id}' does not exist");
}
