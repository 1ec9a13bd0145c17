using FastEndpoints;
using FeatureStore.Api;
using FeatureStore.Api.Security;
using FeatureStore.Contracts;
using FeatureStore.Domain;
using FeatureStore.Domain.Security;
using FeatureStore.Registry.Monitoring;
using FeatureStore.Registry.Storage;
using FluentValidation;

namespace FeatureStore.Registry.Endpoints.Monitoring;

public sealed class StatisticsSeriesRequest : IObjectScoped
{
    [QueryParam] public string? Project { get; set; }
    [QueryParam] public string View { get; set; } = "";
    /// <summary>One feature only; every feature of the view when absent.</summary>
    [QueryParam] public string? Feature { get; set; }
    /// <summary>The period: runs that finished in the last <c>days</c> days (default 7).</summary>
    [QueryParam] public int? Days { get; set; }

    ObjectKind IObjectScoped.ObjectKind => ObjectKind.FeatureView;
    string IObjectScoped.ObjectName => View;
}

/// <summary>
/// <c>GET /api/v1/monitoring/statistics?project=&amp;view=&amp;days=&amp;feature=</c>: each feature's statistics per successful
/// run of the view in the period (count, nulls and null rate, mean, standard deviation, min, max, quantiles, distinct values,
/// rule failures) — a time series to compare runs by, oldest first, at most the newest 1,000 runs.
/// </summary>
[Access(FeatureAction.Describe)]
public sealed class GetStatisticsSeries(IDefinitionStore definitions, IJobStore jobs, TimeProvider clock)
    : Endpoint<StatisticsSeriesRequest, StatisticsSeriesDto>
{
    public const int MaxDays = 366;
    public const int MaxRuns = 1000;

    public override void Configure()
    {
        Get("monitoring/statistics");
        Description(d => d.Produces<ProblemDocument>(404, "application/problem+json"));
    }

    public override async Task HandleAsync(StatisticsSeriesRequest request, CancellationToken ct)
    {
        var project = Names.ProjectOrDefault(request.Project);
        if (!await definitions.EverExistedAsync(project, ObjectKind.FeatureView, request.View, ct))
            ThrowError(r => r.View, $"feature view '{request.View}' has never existed in project '{project}'", 404);
        var end = clock.GetUtcNow();
        var start = end - TimeSpan.FromDays(request.Days ?? 7);
        var runs = await jobs.ListSucceededJobsAsync(project, request.View, start, end, MaxRuns, ct);
        await Send.OkAsync(StatisticsSeries.Of(project, request.View, start, end, runs, request.Feature), ct);
    }
}

public sealed class StatisticsSeriesRequestValidator : Validator<StatisticsSeriesRequest>
{
    public StatisticsSeriesRequestValidator()
    {
        RuleFor(r => r.Project).MustBeName().When(r => r.Project is not null);
        RuleFor(r => r.View).MustBeName();
        RuleFor(r => r.Feature).MustBeName().When(r => r.Feature is not null);
        RuleFor(r => r.Days).InclusiveBetween(1, GetStatisticsSeries.MaxDays).When(r => r.Days is not null)
            .WithMessage($"must be between 1 and {GetStatisticsSeries.MaxDays}");
    }
}
