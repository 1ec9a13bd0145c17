using FastEndpoints;
using FeatureStore.Contracts;
using FeatureStore.Domain;
using FeatureStore.Registry.Endpoints.Objects;
using FeatureStore.Storage.Registry;
using FluentValidation;

namespace FeatureStore.Registry.Endpoints.Materializations;

public sealed class OfflineFilesRequest
{
    public string Name { get; set; } = "";
    [QueryParam] public string? Project { get; set; }
    [QueryParam] public int? Version { get; set; }
    /// <summary>Also list files of jobs not (yet) complete: written, but invisible to readers.</summary>
    [QueryParam] public bool? IncludeStaged { get; set; }
}

/// <summary>
/// <c>GET /api/v1/feature-views/{name}/offline-files?version=</c>: the catalog of the view's offline feature table.
/// A reader uses this, never a bucket listing; files of one job share a commit sequence.
/// </summary>
public sealed class ListOfflineFiles(IRegistryStore store) : Endpoint<OfflineFilesRequest, List<OfflineFileDto>>
{
    public override void Configure()
    {
        Get("feature-views/{name}/offline-files");
        AllowAnonymous();
    }

    public override async Task HandleAsync(OfflineFilesRequest request, CancellationToken ct)
    {
        var files = await store.ListOfflineFilesAsync(ProjectNames.Or(request.Project), request.Name, request.Version, request.IncludeStaged ?? false, ct);
        await Send.OkAsync(files.Select(f => new OfflineFileDto(f.Path, f.Version, f.JobId, f.Date, f.RowCount, f.MinEventTime, f.MaxEventTime,
            f.ContentHash, f.SizeBytes, f.WindowStart, f.WindowEnd, f.CommitSequence)).ToList(), ct);
    }
}

public sealed class OfflineFilesRequestValidator : Validator<OfflineFilesRequest>
{
    public OfflineFilesRequestValidator()
    {
        RuleFor(r => r.Name).MustBeName();
        RuleFor(r => r.Project).MustBeName().When(r => r.Project is not null);
        RuleFor(r => r.Version).GreaterThan(0).WithMessage("must be 1 or more").When(r => r.Version is not null);
    }
}
