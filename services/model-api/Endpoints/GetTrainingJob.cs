using FastEndpoints;
using FeatureStore.Contracts;
using FeatureStore.ModelApi.Storage;

namespace FeatureStore.ModelApi.Endpoints;

public sealed class GetTrainingJobRequest
{
    public Guid Id { get; set; }
}

/// <summary><c>GET /api/v1/models/churn/training-jobs/{id}</c>: a training job's state, its version once done, or why it failed.</summary>
public sealed class GetTrainingJob(IModelStore store) : Endpoint<GetTrainingJobRequest, TrainingJobDto>
{
    public override void Configure()
    {
        Get("models/churn/training-jobs/{id}");
        AllowAnonymous();
        Description(d => d.Produces<ProblemDocument>(404, "application/problem+json"));
    }

    public override async Task HandleAsync(GetTrainingJobRequest request, CancellationToken ct)
    {
        var job = await store.FindJobAsync(request.Id, ct);
        if (job is null) ThrowError(r => r.Id, $"training job '{request.Id}' does not exist", 404);
        await Send.OkAsync(TrainingJobs.ToDto(job), ct);
    }
}
