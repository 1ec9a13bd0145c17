using Cronos;

namespace FeatureStore.Registry.Schedules;

/// <summary>Something fired on cron schedules: each sweep fires what fell due since its last fire.</summary>
public interface IScheduleSweep
{
    Task FireDueAsync(CancellationToken cancellationToken);
}

/// <summary>
/// Runs every <see cref="IScheduleSweep"/> each <c>FeatureStore:Scheduler:Interval</c> (15 s by default). Sweeps record each fire
/// under a unique key first, so several registry replicas fire it once.
/// </summary>
public sealed partial class ScheduleSweeper(IEnumerable<IScheduleSweep> sweeps, TimeProvider clock, IConfiguration configuration,
    ILogger<ScheduleSweeper> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = configuration.GetValue<TimeSpan?>("FeatureStore:Scheduler:Interval") ?? TimeSpan.FromSeconds(15);
        while (!stoppingToken.IsCancellationRequested)
        {
            foreach (var sweep in sweeps)
            {
                try { await sweep.FireDueAsync(stoppingToken); }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { return; }
                catch (Exception e) { SweepFailed(logger, sweep.GetType().Name, e.Message, e); }
            }
            await Task.Delay(interval, clock, stoppingToken).ContinueWith(_ => { }, CancellationToken.None);
        }
    }

    /// <summary>The last occurrence of a cron schedule (five fields, or six with seconds; UTC) after <paramref name="since"/> and at
    /// or before <paramref name="now"/>, if any. Missed occurrences collapse into this one.</summary>
    public static DateTimeOffset? LatestOccurrence(string schedule, DateTimeOffset since, DateTimeOffset now)
    {
        var format = schedule.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length == 6
            ? CronFormat.IncludeSeconds
            : CronFormat.Standard;
        var cron = CronExpression.Parse(schedule, format);
        DateTimeOffset? latest = null;
        for (var next = cron.GetNextOccurrence(since, TimeZoneInfo.Utc); next is { } at && at <= now;
            next = cron.GetNextOccurrence(at, TimeZoneInfo.Utc))
            latest = at;
        return latest;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Schedule sweep {Sweep} failed: {Reason}")]
    private static partial void SweepFailed(ILogger logger, string sweep, string reason, Exception exception);
}
