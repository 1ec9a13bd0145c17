using FastEndpoints;
using FeatureStore.Api;
using FeatureStore.Api.Security;
using FeatureStore.Contracts;
using FeatureStore.Domain.Security;
using FeatureStore.Registry.Storage;

namespace FeatureStore.Registry.Endpoints.Materializations;

public sealed class GetMaterializationRequest
{
    public Guid Id { get; set; }
}

/// <summary><c>GET /api/v1/materializations/{id}</c>: a job's state, window, counts, duration and error.</summary>
[Access(FeatureAction.Describe)]
public sealed class GetMaterialization(IJobStore store)
    : FindOneEndpoint<GetMaterializationRequest, MaterializationJobDto>("materializations/{id}")
{
    protected override async Task<MaterializationJobDto?> FindAsync(GetMaterializationRequest request, CancellationToken ct)
    {
        if (await store.FindJobAsync(request.Id, ct) is not { } job) return null;
        AccessCheck.Demand(HttpContext, FeatureAction.Describe, job.Project);
        return MaterializationJobDto.From(job, await store.ListPartitionsAsync(job.Id, ct));
    }

    protected override FieldError Missing(GetMaterializationRequest request) =>
        new("id", $"materialization job '{request.Id}' does not exist");
}
