using FastEndpoints;
using FeatureStore.Api;
using FeatureStore.Api.Security;
using FeatureStore.Contracts;
using FeatureStore.Domain;
using FeatureStore.Domain.Security;
using FeatureStore.Registry.Monitoring;
using FluentValidation;

namespace FeatureStore.Registry.Endpoints.Monitoring;

public sealed class DataFreshnessRequest : IProjectScoped
{
    [QueryParam] public string? Project { get; set; }
    /// <summary>One view only; every live view of the project when absent.</summary>
    [QueryParam] public string? View { get; set; }
    /// <summary>Judges freshness as of this instant (default now): "will anything be stale by the morning?".</summary>
    [QueryParam] public DateTimeOffset? At { get; set; }
}

/// <summary>
/// <c>GET /api/v1/monitoring/data-freshness?project=&amp;view=&amp;at=</c>: per view, the last successful and failed runs, the
/// newest event time held, its age against the TTL and the view's <c>freshness</c> objective, and a status: ok, late or stale.
/// </summary>
[Access(FeatureAction.Describe)]
public sealed class GetDataFreshness(FreshnessBoard board, TimeProvider clock) : Endpoint<DataFreshnessRequest, DataFreshnessDto>
{
    public override void Configure() => Get("monitoring/data-freshness");

    public override async Task HandleAsync(DataFreshnessRequest request, CancellationToken ct)
    {
        var project = Names.ProjectOrDefault(request.Project);
        var answer = await board.ReadAsync(project, request.View, request.At ?? clock.GetUtcNow(), ct);
        if (request.View is not null && answer.Views.Count == 0)
            ThrowError(r => r.View!, $"feature view '{request.View}' does not exist in project '{project}'", 404);
        await Send.OkAsync(answer, ct);
    }
}

public sealed class DataFreshnessRequestValidator : Validator<DataFreshnessRequest>
{
    public DataFreshnessRequestValidator()
    {
        RuleFor(r => r.Project).MustBeName().When(r => r.Project is not null);
        RuleFor(r => r.View).MustBeName().When(r => r.View is not null);
        RuleFor(r => r.At).MustBeOrdinaryInstant();
    }
}
