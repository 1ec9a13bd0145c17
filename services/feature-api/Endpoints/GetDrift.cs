using FastEndpoints;
using FeatureStore.Api;
using FeatureStore.Api.Security;
using FeatureStore.Contracts;
using FeatureStore.Domain;
using FeatureStore.Domain.Security;
using FeatureStore.FeatureApi.Monitoring;
using FluentValidation;

namespace FeatureStore.FeatureApi.Endpoints;

public sealed class DriftRequest : IProjectScoped, IFeatureReading
{
    [QueryParam] public string? Project { get; set; }
    [QueryParam] public string FeatureService { get; set; } = "";
    /// <summary>The saved dataset the window is compared with; absent: the service's <c>drift.reference</c>, else the training set
    /// of the promoted model that uses the service.</summary>
    [QueryParam] public string? Reference { get; set; }
    [QueryParam] public DateTimeOffset? Start { get; set; }
    [QueryParam] public DateTimeOffset? End { get; set; }
}

/// <summary>
/// <c>GET /api/v1/monitoring/drift?featureService=&amp;reference=&amp;start=&amp;end=</c>: per feature of the service, how far what
/// it served in [start, end) (its feature log; by default the service's <c>drift.window</c>, 24 hours, up to now) moved from the
/// reference dataset (by default the promoted model's training set) — population stability index and Kolmogorov–Smirnov for
/// numbers, Jensen–Shannon for categories, the null rate — and a verdict, by the service's thresholds. Reading the values takes
/// <c>read_offline</c> on every feature.
/// </summary>
[Access(FeatureAction.ReadOffline)]
public sealed class GetDrift(DriftCheck drift, TimeProvider clock) : Endpoint<DriftRequest, DriftReportDto>
{
    public override void Configure()
    {
        Get("monitoring/drift");
        Description(d => d.Produces<ProblemDocument>(503, "application/problem+json"));
    }

    public override async Task HandleAsync(DriftRequest request, CancellationToken ct)
    {
        await Send.OkAsync(await drift.RunAsync(Names.ProjectOrDefault(request.Project), request.FeatureService, request.Reference,
            request.Start, request.End ?? clock.GetUtcNow(), HttpContext.PrincipalOf(), ct), ct);
    }
}

public sealed class DriftRequestValidator : Validator<DriftRequest>
{
    public DriftRequestValidator()
    {
        RuleFor(r => r.Project).MustBeName().When(r => r.Project is not null);
        RuleFor(r => r.FeatureService).MustBeName();
        RuleFor(r => r.Reference).MustBeName().When(r => r.Reference is not null);
        RuleFor(r => r.Start).MustBeOrdinaryInstant();
        RuleFor(r => r.End).MustBeOrdinaryInstant();
        RuleFor(r => r.End).GreaterThan(r => r.Start).When(r => r.Start is not null && r.End is not null)
            .WithMessage("must be after start");
    }
}
