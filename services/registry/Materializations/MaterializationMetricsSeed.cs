using FeatureStore.Registry.Storage;

namespace FeatureStore.Registry.Materializations;

/// <summary>
/// Seeds <see cref="MaterializationMetrics"/>' last-success gauge from the job store when the registry starts, so a restart
/// does not make every view look as if it never succeeded (an alert on its age would fire, or go blind). Retries while the
/// store is unreachable; the service starts regardless.
/// </summary>
public sealed partial class MaterializationMetricsSeed(IJobStore jobs, MaterializationMetrics metrics,
    ILogger<MaterializationMetricsSeed> logger) : BackgroundService
{
    private static readonly TimeSpan Pause = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        for (var attempt = 1; !stoppingToken.IsCancellationRequested; attempt++)
        {
            try
            {
                metrics.Seed(await jobs.SummarizeRunsAsync(null, stoppingToken));
                return;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                if (attempt == 1 || attempt % 12 == 0) CouldNotSeed(logger, e.Message);
                await Task.Delay(Pause, stoppingToken);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not read the last successful materializations yet, retrying: {Reason}")]
    private static partial void CouldNotSeed(ILogger logger, string reason);
}
