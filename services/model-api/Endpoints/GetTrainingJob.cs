using FastEndpoints;
using FeatureStore.Api;
using FeatureStore.Api.Security;
using FeatureStore.Contracts;
using FeatureStore.Domain.Security;
using FeatureStore.ModelApi.Infrastructure;
using FeatureStore.ModelApi.Storage;

namespace FeatureStore.ModelApi.Endpoints;

public sealed class GetTrainingJobRequest
{
    public Guid Id { get; set; }
}

/// <summary><c>GET /api/v1/models/churn/training-jobs/{id}</c>: a training job's state, its version once done, or why it failed.</summary>
[Access(FeatureAction.Describe)]
public sealed class GetTrainingJob(IModelStore store)
    : FindOneEndpoint<GetTrainingJobRequest, TrainingJobDto>("models/churn/training-jobs/{id}")
{
    protected override async Task<TrainingJobDto?> FindAsync(GetTrainingJobRequest request, CancellationToken ct)
    {
        ModelAccess.Demand(HttpContext, FeatureAction.Describe);
        return await store.FindJobAsync(request.Id, ct) is { } job ? TrainingJobs.ToDto(job) : null;
    }

    protected override FieldError Missing(GetTrainingJobRequest request) => new("id", $"training job '{request.Id}' does not exist");
}
