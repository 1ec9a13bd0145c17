using FastEndpoints;
using FeatureStore.Contracts;
using FeatureStore.Domain;
using FeatureStore.Registry.Offline;
using FeatureStore.Registry.Storage;

namespace FeatureStore.Registry.Endpoints.Offline;

public sealed class OfflineFilesRequest : ViewVersionRequest
{
    /// <summary>Also list files whose rows later commits replaced whole (with the windows that replaced them).</summary>
    [QueryParam] public bool? IncludeReplaced { get; set; }

    /// <summary>Also list files of jobs not (yet) complete: written, but invisible to readers (implies
    /// <see cref="IncludeReplaced"/>).</summary>
    [QueryParam] public bool? IncludeStaged { get; set; }
}

/// <summary>
/// <c>GET /api/v1/feature-views/{name}/offline-files?version=&amp;asOf=</c>: the files of the offline history a view version
/// reads, as readers see it (after the latest commit, or commit <c>asOf</c>): each with the event-time windows later
/// commits replaced (<c>masks</c>). A reader uses this, never a bucket listing.
/// </summary>
public sealed class ListOfflineFiles(IDefinitionStore store, IOfflineCatalog catalog, OfflineHistories histories)
    : ViewVersionEndpoint<OfflineFilesRequest, List<OfflineFileDto>>(store)
{
    public override void Configure() => Route("feature-views/{name}/offline-files");

    public override async Task HandleAsync(OfflineFilesRequest request, CancellationToken ct)
    {
        var (project, _, view) = await VersionAsync(request, ct);
        var (_, files) = await histories.ReadAsync(project, view.Name, view.HistoryVersion, request.AsOf, ct);
        var listed = files.Where(f => request.IncludeReplaced == true || request.IncludeStaged == true
                                      || !OfflineVisibility.HidesAll(f.Masks, f.File.MinEventTime, f.File.MaxEventTime))
            .Select(f => Dto(f.File, f.Masks)).ToList();
        if (request.IncludeStaged == true)
            listed.AddRange((await catalog.ListOfflineFilesAsync(project, view.Name, view.HistoryVersion, includeStaged: true, ct))
                .Where(f => f.CommitSequence is null).Select(f => Dto(f, [])));
        await Send.OkAsync(listed, ct);
    }

    private static OfflineFileDto Dto(OfflineFileRecord f, IReadOnlyList<TimeWindow> masks) => new(f.Path, f.History, f.JobId,
        f.Date, f.RowCount,
        f.MinEventTime, f.MaxEventTime, f.ContentHash, f.SizeBytes, f.WindowStart, f.WindowEnd, f.CommitSequence, masks, f.SupersededBy,
        f.EventTies);
}

public sealed class OfflineFilesRequestValidator : Validator<OfflineFilesRequest>
{
    public OfflineFilesRequestValidator() => this.AddViewVersionRules();
}
