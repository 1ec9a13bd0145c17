using FeatureStore.Api;
using FeatureStore.Contracts;
using FeatureStore.FeatureApi.Monitoring;
using MassTransit;

namespace FeatureStore.FeatureApi.Consumers;

/// <summary>
/// Runs a scheduled drift check (one instance takes each from the queue) and publishes <see cref="FeatureDriftDetected"/> when a
/// feature drifted. A check that cannot run as declared (no reference, a missing dataset) is counted and logged, not retried; an
/// unavailable dependency is retried by the bus.
/// </summary>
public sealed partial class CheckFeatureDriftConsumer(DriftCheck drift, DriftMetrics metrics, TimeProvider clock,
    ILogger<CheckFeatureDriftConsumer> logger) : IConsumer<CheckFeatureDrift>
{
    public async Task Consume(ConsumeContext<CheckFeatureDrift> context)
    {
        var check = context.Message;
        DriftReportDto report;
        try
        {
            report = await drift.RunAsync(check.Project, check.FeatureService, null, check.Start, check.End, null,
                context.CancellationToken);
        }
        catch (RefusedException e) when (e is not DependencyUnavailableException)
        {
            metrics.Checked(check.FeatureService, "failed");
            NotRun(logger, check.Project, check.FeatureService, check.Due, e.Message);
            return;
        }
        metrics.Checked(check.FeatureService, report.Drifted.Count > 0 ? "drift" : "ok");
        if (report.Drifted.Count == 0) return;
        metrics.Drifted(check.FeatureService, report.Drifted);
        Detected(logger, check.Project, check.FeatureService, string.Join(", ", report.Drifted), report.Reference);
        await context.Publish(new FeatureDriftDetected(check.Project, check.FeatureService, report.Reference, check.Start, check.End,
            report.Drifted, report, clock.GetUtcNow()), context.CancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Drift check of {Project}/{Service} due at {Due:O} could not run: {Reason}")]
    private static partial void NotRun(ILogger logger, string project, string service, DateTimeOffset due, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Drift in {Project}/{Service}: {Features} moved from {Reference}")]
    private static partial void Detected(ILogger logger, string project, string service, string features, string reference);
}
