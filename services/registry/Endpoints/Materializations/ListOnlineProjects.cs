using FastEndpoints;
using FeatureStore.Api.Security;
using FeatureStore.Contracts;
using FeatureStore.Domain.Security;
using FeatureStore.Registry.Storage;

namespace FeatureStore.Registry.Endpoints.Materializations;

/// <summary>
/// <c>GET /api/v1/materializations/online-projects</c>: every project a successful materialization wrote online keys for,
/// with when the first and the latest of those runs finished — what feature-api checks the online store's markers against.
/// </summary>
[Access(FeatureAction.Internal)]
public sealed class ListOnlineProjects(IJobStore store) : EndpointWithoutRequest<IReadOnlyList<OnlineProjectDto>>
{
    public override void Configure()
    {
        Get("materializations/online-projects");
    }

    public override async Task HandleAsync(CancellationToken ct) =>
        await Send.OkAsync((await store.OnlineProjectsAsync(ct))
            .Select(p => new OnlineProjectDto(p.Project, p.FirstWrittenAt, p.LastWrittenAt)).ToList(), ct);
}
