using FastEndpoints;
using FeatureStore.Contracts;
using FeatureStore.Registry.Endpoints.Materializations;
using FeatureStore.Registry.Storage;

namespace FeatureStore.Registry.Endpoints.Offline;

public sealed class ListCompactionsRequest : ViewRequest;

/// <summary><c>GET /api/v1/feature-views/{name}/compactions</c>: the view's compactions, newest first (the last 50).</summary>
public sealed class ListCompactions(IDefinitionStore store, IOfflineCompactionStore compactions)
    : ViewHistoryEndpoint<ListCompactionsRequest, List<OfflineCompactionDto>>(store)
{
    public override void Configure() => Route("feature-views/{name}/compactions");

    public override async Task HandleAsync(ListCompactionsRequest request, CancellationToken ct)
    {
        var project = await ProjectOfKnownViewAsync(request, ct);
        await Send.OkAsync((await compactions.ListCompactionsAsync(project, request.Name, 50, ct)).Select(c => c.Dto()).ToList(), ct);
    }
}

public sealed class ListCompactionsValidator : Validator<ListCompactionsRequest>
{
    public ListCompactionsValidator() => this.AddViewRules();
}

public sealed class GetCompactionRequest : ViewRequest
{
    [RouteParam] public Guid Id { get; set; }
}

/// <summary><c>GET /api/v1/feature-views/{name}/compactions/{id}</c>: one compaction of the view.</summary>
public sealed class GetCompaction(IDefinitionStore store, IOfflineCompactionStore compactions)
    : ViewHistoryEndpoint<GetCompactionRequest, OfflineCompactionDto>(store)
{
    public override void Configure() => Route("feature-views/{name}/compactions/{id}");

    public override async Task HandleAsync(GetCompactionRequest request, CancellationToken ct)
    {
        var project = await ProjectOfKnownViewAsync(request, ct);
        var compaction = await compactions.FindCompactionAsync(request.Id, ct);
        if (compaction is null || compaction.Project != project || compaction.View != request.Name)
            ThrowError(r => r.Id, $"feature view '{request.Name}' has no compaction {request.Id}", 404);
        await Send.OkAsync(compaction.Dto(), ct);
    }
}

public sealed class GetCompactionValidator : Validator<GetCompactionRequest>
{
    public GetCompactionValidator() => this.AddViewRules();
}
