using FastEndpoints;
using FeatureStore.Api.Security;
using FeatureStore.Contracts;
using FeatureStore.Domain;
using FeatureStore.Domain.Security;
using FeatureStore.Registry.Endpoints.Materializations;
using FeatureStore.Registry.Offline;
using FeatureStore.Registry.Storage;

namespace FeatureStore.Registry.Endpoints.Offline;

public sealed class StartCompactionRequest : ViewRequest;

/// <summary>
/// <c>POST /api/v1/feature-views/{name}/compactions</c>: compacts the offline history the view's latest version reads — its
/// small files rewritten by pipeline-worker as fewer files, superseding them in one commit (time travel to earlier commits keeps
/// reading them). 202 with the compaction; 409 while one runs; 422 when there is nothing to compact.
/// </summary>
[Access(FeatureAction.Materialize)]
public sealed class StartCompaction(IDefinitionStore store, OfflineCompactions compactions)
    : Endpoint<StartCompactionRequest, OfflineCompactionDto>
{
    public override void Configure()
    {
        Post("feature-views/{name}/compactions");
        Description(d => d.Produces<OfflineCompactionDto>(202).Produces<ProblemDocument>(404, "application/problem+json")
            .Produces<ProblemDocument>(409, "application/problem+json").Produces<ProblemDocument>(422, "application/problem+json")
            .Produces<ProblemDocument>(503, "application/problem+json"));
    }

    public override async Task HandleAsync(StartCompactionRequest request, CancellationToken ct)
    {
        var project = Names.ProjectOrDefault(request.Project);
        var view = await store.FindFeatureViewAsync(project, request.Name, null, ct);
        if (view is null) ThrowError(r => r.Name, $"feature view '{request.Name}' does not exist in project '{project}'", 404);
        if (!view.Offline) ThrowError(r => r.Name, $"feature view '{request.Name}' keeps no rows offline: nothing to compact", 422);
        var compaction = await compactions.StartAsync(project, view.Name, view.HistoryVersion, OfflineCompactions.Manual, ct);
        if (compaction is null)
            ThrowError(r => r.Name, $"the offline history of feature view '{request.Name}' (v{view.HistoryVersion}) has fewer than "
                + "2 files a compaction would rewrite: nothing to compact", 422);
        await Send.ResultAsync(TypedResults.Accepted($"/api/v1/feature-views/{view.Name}/compactions/{compaction.Id}?project={project}",
            compaction.Dto()));
    }
}

public sealed class StartCompactionValidator : Validator<StartCompactionRequest>
{
    public StartCompactionValidator() => this.AddViewRules();
}
