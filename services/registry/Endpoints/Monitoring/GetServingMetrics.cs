using FastEndpoints;
using FeatureStore.Api.Security;
using FeatureStore.Contracts;
using FeatureStore.Domain;
using FeatureStore.Domain.Security;
using FeatureStore.Registry.Monitoring;
using FeatureStore.Registry.Storage;
using FluentValidation;

namespace FeatureStore.Registry.Endpoints.Monitoring;

public sealed class ServingMetricsRequest : MonitoringPeriodRequest
{
    /// <summary>A duration (at least 1m): also answer one point per step of the period, for charts.</summary>
    [QueryParam] public string? Step { get; set; }
}

/// <summary>
/// <c>GET /api/v1/monitoring/metrics?project=&amp;start=&amp;end=&amp;step=</c>: per feature-api endpoint over [start, end), the
/// requests and latency p50 / p95 / p99 (every project: latency is the service's), and the hit, miss and stale rates of the
/// project's online reads — from the per-minute counts every instance reports; with <c>step</c>, also a point per step.
/// </summary>
[Access(FeatureAction.Describe)]
public sealed class GetServingMetrics(IUsageStore store, TimeProvider clock) : Endpoint<ServingMetricsRequest, ServingMetricsDto>
{
    public const int MaxPoints = 1440;

    public override void Configure() => Get("monitoring/metrics");

    public override async Task HandleAsync(ServingMetricsRequest request, CancellationToken ct)
    {
        var project = Names.ProjectOrDefault(request.Project);
        var (start, end) = request.Period(clock.GetUtcNow());
        TimeSpan? step = request.Step is { } text ? Durations.Parse(text) : null;
        if (step is { } s && (end - start) / s > MaxPoints)
            ThrowError(r => r.Step!, $"makes more than {MaxPoints} points of the period; choose a longer step");
        await Send.OkAsync(UsageReports.Metrics(project, start, end, step, await store.FindLatencyAsync(start, end, ct),
            await store.FindUsageAsync(project, start, end, ct)), ct);
    }
}

public sealed class ServingMetricsRequestValidator : Validator<ServingMetricsRequest>
{
    public ServingMetricsRequestValidator()
    {
        this.AddPeriodRules();
        RuleFor(r => r.Step).Must(s => Durations.TryParse(s, out var step) && step >= TimeSpan.FromMinutes(1))
            .When(r => r.Step is not null).WithMessage($"must be a duration of at least 1m: {Durations.Format}");
    }
}
