using FastEndpoints;
using FeatureStore.Contracts;
using FeatureStore.Storage.Registry;
using FluentValidation;

namespace FeatureStore.Registry.Endpoints.Materializations;

public sealed class OfflineFilesRequest : ViewRequest
{
    [QueryParam] public int? Version { get; set; }
    /// <summary>Also list files of jobs not (yet) complete: written, but invisible to readers.</summary>
    [QueryParam] public bool? IncludeStaged { get; set; }
}

/// <summary>
/// <c>GET /api/v1/feature-views/{name}/offline-files?version=</c>: the catalog of the view's offline feature table.
/// A reader uses this, never a bucket listing; files of one job share a commit sequence.
/// </summary>
public sealed class ListOfflineFiles(IRegistryStore store) : ViewHistoryEndpoint<OfflineFilesRequest, List<OfflineFileDto>>(store)
{
    public override void Configure() => Route("feature-views/{name}/offline-files");

    public override async Task HandleAsync(OfflineFilesRequest request, CancellationToken ct)
    {
        var project = await ProjectOfKnownViewAsync(request, ct);
        var files = await Store.ListOfflineFilesAsync(project, request.Name, request.Version, request.IncludeStaged ?? false, ct);
        await Send.OkAsync(files.Select(f => new OfflineFileDto(f.Path, f.Version, f.JobId, f.Date, f.RowCount, f.MinEventTime, f.MaxEventTime,
            f.ContentHash, f.SizeBytes, f.WindowStart, f.WindowEnd, f.CommitSequence)).ToList(), ct);
    }
}

public sealed class OfflineFilesRequestValidator : Validator<OfflineFilesRequest>
{
    public OfflineFilesRequestValidator()
    {
        this.AddViewRules();
        RuleFor(r => r.Version).GreaterThan(0).WithMessage("must be 1 or more").When(r => r.Version is not null);
    }
}
