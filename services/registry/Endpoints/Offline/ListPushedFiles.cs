using FastEndpoints;
using FeatureStore.Api.Security;
using FeatureStore.Contracts;
using FeatureStore.Domain;
using FeatureStore.Domain.Security;
using FeatureStore.Registry.Endpoints.Materializations;
using FeatureStore.Registry.Endpoints.Objects;
using FeatureStore.Registry.Storage;
using FluentValidation;

namespace FeatureStore.Registry.Endpoints.Offline;

public sealed class PushedFilesRequest : NamedRequest
{
    /// <summary>The last push to list (a sequence number of the source's log); every push when absent.</summary>
    [QueryParam] public long? UpTo { get; set; }
}

/// <summary>
/// <c>GET /api/v1/data-sources/{name}/pushed-files?upTo=</c>: a push source's log, the rows pushed to it offline, in push
/// order. A materialization of a view over the source reads it again up to the last push its job saw.
/// </summary>
[Access(FeatureAction.Internal)]
public sealed class ListPushedFiles(IOfflineCatalog store) : Endpoint<PushedFilesRequest, List<PushedFileDto>>
{
    public override void Configure()
    {
        Get("data-sources/{name}/pushed-files");
    }

    public override async Task HandleAsync(PushedFilesRequest request, CancellationToken ct)
    {
        var files = await store.ListPushedFilesAsync(Names.ProjectOrDefault(request.Project), request.Name,
            request.UpTo ?? long.MaxValue, ct);
        await Send.OkAsync(files.Select(f => new PushedFileDto(f.Path, f.Sequence, f.Date, f.RowCount, f.MinEventTime, f.MaxEventTime,
            f.ContentHash,
            f.SizeBytes)).ToList(), ct);
    }
}

public sealed class PushedFilesRequestValidator : Validator<PushedFilesRequest>
{
    public PushedFilesRequestValidator()
    {
        this.AddNameRules();
        RuleFor(r => r.UpTo).GreaterThanOrEqualTo(0).WithMessage("must be a push sequence number: 0 or more").When(r => r.UpTo is not null);
    }
}
