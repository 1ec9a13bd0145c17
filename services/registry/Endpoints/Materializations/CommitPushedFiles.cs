using FastEndpoints;
using FeatureStore.Contracts;
using FeatureStore.Domain;
using FeatureStore.Registry.Infrastructure;
using FeatureStore.Storage.Registry;
using FluentValidation;

namespace FeatureStore.Registry.Endpoints.Materializations;

public sealed class CommitPushedFilesRequest : ViewRequest
{
    public int? Version { get; set; }
    public Guid? PushId { get; set; }
    public List<OfflineFile>? Files { get; set; }
}

/// <summary>
/// <c>POST /api/v1/feature-views/{name}/pushed-files</c>: feature-api catalogues the offline files of a push
/// (rows written to the view version's table outside any job) as one commit, visible to readers at once.
/// Files must lie under the version's offline prefix; the same push recorded twice changes nothing.
/// </summary>
public sealed class CommitPushedFiles(IRegistryStore store, StoreBackedCatalog catalog) : Endpoint<CommitPushedFilesRequest>
{
    public override void Configure()
    {
        Post("feature-views/{name}/pushed-files");
        AllowAnonymous();
        Description(d => d.Produces(204).Produces<ProblemDocument>(404, "application/problem+json"));
    }

    public override async Task HandleAsync(CommitPushedFilesRequest request, CancellationToken ct)
    {
        var project = request.Project ?? Names.DefaultProject;
        var view = await store.FindFeatureViewAsync(project, request.Name, request.Version, ct);
        if (view is null) ThrowError(r => r.Version, $"version {request.Version} of feature view '{request.Name}' does not exist in project '{project}'", 404);
        var prefix = OfflineTables.Prefix(project, view.Name, view.Version) + "/";
        for (var i = 0; i < request.Files!.Count; i++)
            if (!request.Files[i].Path.StartsWith(prefix, StringComparison.Ordinal))
                AddError(new FluentValidation.Results.ValidationFailure($"files[{i}].path", $"must lie under '{prefix}'"));
        ThrowIfAnyErrors();
        await catalog.CommitPushAsync(project, view.Name, view.Version, request.PushId!.Value,
            request.Files.Select(f => new CataloguedFile(f.Path, f.Date, f.RowCount, f.MinEventTime, f.MaxEventTime, f.ContentHash, f.SizeBytes)).ToList(), ct);
        await Send.NoContentAsync(ct);
    }
}

public sealed class CommitPushedFilesValidator : Validator<CommitPushedFilesRequest>
{
    public CommitPushedFilesValidator()
    {
        this.AddViewRules();
        RuleFor(r => r.Version).NotNull().GreaterThan(0).WithMessage("is required: the view version the files belong to");
        RuleFor(r => r.PushId).NotNull().NotEqual(Guid.Empty).WithMessage("is required: the push's id");
        RuleFor(r => r.Files).NotEmpty().WithMessage("must list at least one file");
        RuleForEach(r => r.Files).ChildRules(file =>
        {
            file.RuleFor(f => f.Path).NotEmpty();
            file.RuleFor(f => f.Date).Matches(@"^\d{4}-\d{2}-\d{2}$").WithMessage("must be YYYY-MM-DD");
            file.RuleFor(f => f.RowCount).GreaterThan(0);
            file.RuleFor(f => f.ContentHash).Matches("^[0-9a-f]{64}$").WithMessage("must be a SHA-256 in lower-case hex");
            file.RuleFor(f => f.MaxEventTime).GreaterThanOrEqualTo(f => f.MinEventTime);
        });
    }
}
