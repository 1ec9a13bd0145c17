using FastEndpoints;
using FeatureStore.Api.Security;
using FeatureStore.Domain.Security;
using FeatureStore.PipelineWorker.Materialization;

namespace FeatureStore.PipelineWorker.Endpoints;

/// <summary><c>GET /api/v1/worker/jobs</c>: the materialization jobs this worker instance is running now.</summary>
[Access(FeatureAction.Describe)]
public sealed class ListRunningJobs(RunningJobs active) : EndpointWithoutRequest<IReadOnlyList<RunningJob>>
{
    public override void Configure()
    {
        Get("worker/jobs");
    }

    public override Task HandleAsync(CancellationToken ct) => Send.OkAsync(active.Snapshot(), ct);
}
