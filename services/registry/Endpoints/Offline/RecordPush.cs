using FastEndpoints;
using FeatureStore.Api;
using FeatureStore.Api.Security;
using FeatureStore.Contracts;
using FeatureStore.Domain;
using FeatureStore.Domain.Security;
using FeatureStore.Registry.Endpoints.Materializations;
using FeatureStore.Registry.Endpoints.Objects;
using FeatureStore.Registry.Offline;
using FluentValidation;

namespace FeatureStore.Registry.Endpoints.Offline;

public sealed class RecordPushRequest : NamedRequest
{
    public Guid? PushId { get; set; }
    public List<OfflineFile>? LogFiles { get; set; }
    public List<PushedViewFilesDto>? Views { get; set; }
}

/// <summary>
/// <c>POST /api/v1/data-sources/{name}/pushes</c>: feature-api catalogues a push to a push source at once: its files in the
/// source's log (kept so views can be backfilled from them) and in the history of each view keeping its rows offline, as that
/// history's next commit. Files must lie under their table's prefix; the same push recorded twice changes nothing.
/// </summary>
[Access(FeatureAction.Internal)]
public sealed class RecordPush(OfflineHistories histories) : Endpoint<RecordPushRequest>
{
    public override void Configure()
    {
        Post("data-sources/{name}/pushes");
        Description(d => d.Produces(204).Produces<ProblemDocument>(404, "application/problem+json"));
    }

    public override async Task HandleAsync(RecordPushRequest request, CancellationToken ct)
    {
        static CataloguedFile File(OfflineFile f) =>
            new(f.Path, f.Date, f.RowCount, f.MinEventTime, f.MaxEventTime, f.ContentHash, f.SizeBytes, EventTies: f.EventTies);
        await histories.RecordPushAsync(Names.ProjectOrDefault(request.Project), request.Name, request.PushId!.Value,
            request.LogFiles!.Select(File).ToList(),
            (request.Views ?? []).Select(v => new PushedViewFiles(v.View!, v.Version!.Value, (v.Files ?? []).Select(File).ToList()))
                .ToList(), ct);
        await Send.NoContentAsync(ct);
    }
}

public sealed class RecordPushValidator : Validator<RecordPushRequest>
{
    public RecordPushValidator()
    {
        this.AddNameRules();
        RuleFor(r => r.PushId).NotNull().NotEqual(Guid.Empty).WithMessage("is required: the push's id");
        RuleFor(r => r.LogFiles).NotEmpty().WithMessage("must list at least one file of the push source's log");
        RuleForEach(r => r.LogFiles).SetValidator(new OfflineFileValidator());
        RuleForEach(r => r.Views).ChildRules(view =>
        {
            view.RuleFor(v => v.View).MustBeName();
            view.RuleFor(v => v.Version).NotNull().GreaterThan(0).WithMessage("is required: the view version the files belong to");
            view.RuleFor(v => v.Files).NotEmpty().WithMessage("must list at least one file");
            view.RuleForEach(v => v.Files).SetValidator(new OfflineFileValidator());
        });
    }
}

public sealed class OfflineFileValidator : AbstractValidator<OfflineFile>
{
    public OfflineFileValidator()
    {
        RuleFor(f => f.Path).NotEmpty();
        RuleFor(f => f.Date).NotEmpty().Matches(@"^\d{4}-\d{2}-\d{2}$").WithMessage("must be YYYY-MM-DD");
        RuleFor(f => f.RowCount).GreaterThan(0);
        RuleFor(f => f.ContentHash).NotEmpty().Matches("^[0-9a-f]{64}$").WithMessage("must be a SHA-256 in lower-case hex");
        RuleFor(f => f.MaxEventTime).GreaterThanOrEqualTo(f => f.MinEventTime);
    }
}
