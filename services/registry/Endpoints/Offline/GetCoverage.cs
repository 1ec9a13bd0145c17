using FastEndpoints;
using FeatureStore.Contracts;
using FeatureStore.Domain;
using FeatureStore.Registry.Offline;
using FeatureStore.Registry.Storage;

namespace FeatureStore.Registry.Endpoints.Offline;

public sealed class CoverageRequest : ViewVersionRequest;

/// <summary>
/// <c>GET /api/v1/feature-views/{name}/coverage?version=&amp;asOf=</c>: which offline history a view version reads, which
/// versions share it, and the event times it covers (materialized windows and pushed rows' spans), with its commits.
/// Historical retrieval outside these intervals is a 409 naming them.
/// </summary>
public sealed class GetCoverage(IDefinitionStore store, OfflineHistories histories)
    : ViewVersionEndpoint<CoverageRequest, OfflineCoverageDto>(store)
{
    public override void Configure() => Route("feature-views/{name}/coverage");

    public override async Task HandleAsync(CoverageRequest request, CancellationToken ct)
    {
        var (project, versions, view) = await VersionAsync(request, ct);
        var (commits, _) = await histories.ReadAsync(project, view.Name, view.HistoryVersion, request.AsOf, ct);
        await Send.OkAsync(new OfflineCoverageDto(project, view.Name, view.Version, view.HistoryVersion,
            versions.Where(v => v.HistoryVersion == view.HistoryVersion).Select(v => v.Version).ToList(), ViewHistory.Fingerprint(view),
            commits.Count == 0 ? 0 : commits[^1].Sequence, OfflineVisibility.Covered(commits),
            commits.Select(OfflineCommitDto.From).ToList()), ct);
    }
}

public sealed class CoverageRequestValidator : Validator<CoverageRequest>
{
    public CoverageRequestValidator() => this.AddViewVersionRules();
}
