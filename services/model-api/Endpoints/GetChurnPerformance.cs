using FastEndpoints;
using FeatureStore.Api;
using FeatureStore.Api.Security;
using FeatureStore.Contracts;
using FeatureStore.Domain;
using FeatureStore.Domain.Security;
using FeatureStore.ModelApi.Churn;
using FeatureStore.ModelApi.Infrastructure;
using FeatureStore.ModelApi.Performance;
using FeatureStore.ModelApi.Storage;
using FluentValidation;

namespace FeatureStore.ModelApi.Endpoints;

public sealed class ChurnPerformanceRequest
{
    [QueryParam] public DateTimeOffset? Start { get; set; }
    [QueryParam] public DateTimeOffset? End { get; set; }
    /// <summary>The length of each point over time (a duration, at least 1h; default 1d).</summary>
    [QueryParam] public string? Bucket { get; set; }
}

/// <summary>
/// <c>GET /api/v1/models/churn/performance?start=&amp;end=&amp;bucket=</c>: per model version, on the outcomes recorded in
/// [start, end) (the last 30 days by default), each judged against the customer's latest prediction before it: AUC,
/// precision and recall at the version's threshold, calibration, and the same per bucket over time.
/// </summary>
[Access(FeatureAction.Describe)]
public sealed class GetChurnPerformance(IPerformanceStore store, TimeProvider clock)
    : Endpoint<ChurnPerformanceRequest, ModelPerformanceDto>
{
    public override void Configure() => Get("models/churn/performance");

    public override async Task HandleAsync(ChurnPerformanceRequest request, CancellationToken ct)
    {
        ModelAccess.Demand(HttpContext, FeatureAction.Describe);
        var end = request.End ?? clock.GetUtcNow();
        var start = request.Start ?? end.AddDays(-30);
        var bucket = request.Bucket is { } text ? Durations.Parse(text) : TimeSpan.FromDays(1);
        var outcomes = await store.MatchOutcomesAsync(ChurnModelOptions.Model, start, end, ct);
        await Send.OkAsync(ModelPerformance.Of(ChurnModelOptions.Model, start, end, bucket, outcomes), ct);
    }
}

public sealed class ChurnPerformanceRequestValidator : Validator<ChurnPerformanceRequest>
{
    public ChurnPerformanceRequestValidator()
    {
        RuleFor(r => r.Start).MustBeOrdinaryInstant();
        RuleFor(r => r.End).MustBeOrdinaryInstant();
        RuleFor(r => r.End).GreaterThan(r => r.Start).When(r => r.Start is not null && r.End is not null)
            .WithMessage("must be after start");
        RuleFor(r => r.Bucket).Must(b => Durations.TryParse(b, out var d) && d >= TimeSpan.FromHours(1))
            .When(r => r.Bucket is not null).WithMessage($"must be a duration of at least 1h: {Durations.Format}");
        RuleFor(r => r.Start).Must((r, start) => (r.End ?? DateTimeOffset.UtcNow) - start!.Value <= TimeSpan.FromDays(366))
            .When(r => r.Start is not null).WithMessage("must be at most 366 days before end");
    }
}
