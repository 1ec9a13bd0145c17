using FastEndpoints;
using FeatureStore.PipelineWorker.Materialization;

namespace FeatureStore.PipelineWorker.Endpoints;

/// <summary><c>GET /api/v1/worker/jobs</c>: the materialization jobs this worker instance is running now.</summary>
public sealed class ListRunningJobs(RunningJobs active) : EndpointWithoutRequest<IReadOnlyList<RunningJob>>
{
    public override void Configure()
    {
        Get("worker/jobs");
        AllowAnonymous();
    }

    public override Task HandleAsync(CancellationToken ct) => Send.OkAsync(active.Snapshot(), ct);
}
