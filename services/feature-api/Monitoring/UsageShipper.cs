using FeatureStore.Contracts;
using MassTransit;
using Microsoft.Extensions.Options;

namespace FeatureStore.FeatureApi.Monitoring;

public sealed class UsageOptions
{
    /// <summary>How often this instance reports its counts to the registry.</summary>
    public TimeSpan ReportInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How many counts are kept for a later report while the bus refuses them; older ones are dropped beyond it.</summary>
    public int MaxPending { get; set; } = 200_000;
}

/// <summary>
/// Reports this instance's usage and latency counts (<see cref="UsageLedger"/>) to the registry as <see cref="ServingUsageRecorded"/>
/// every <see cref="UsageOptions.ReportInterval"/>, and once more when stopping. While the bus refuses, counts wait (bounded)
/// for the next report; a read never waits for any of this.
/// </summary>
public sealed partial class UsageShipper(UsageLedger ledger, IBus bus, IOptions<UsageOptions> options, ILogger<UsageShipper> logger)
    : BackgroundService
{
    private readonly string _instance = $"{Environment.MachineName}/{Environment.ProcessId}";
    private readonly List<UsageCount> _usage = [];
    private readonly List<LatencyCount> _latency = [];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.ReportInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken)) await ReportAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await ReportAsync(cancellationToken); // the last seconds' counts
    }

    private async Task ReportAsync(CancellationToken cancellationToken)
    {
        var (drainedUsage, drainedLatency) = await ledger.DrainAsync(cancellationToken);
        _usage.AddRange(drainedUsage);
        _latency.AddRange(drainedLatency);
        if (_usage.Count == 0 && _latency.Count == 0) return;
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(10));
            const int Batch = 5_000; // counts per message: well under any broker's message size
            while (_usage.Count > 0 || _latency.Count > 0)
            {
                var (usage, latency) = (_usage.Take(Batch).ToList(), _latency.Take(Batch).ToList());
                await bus.Publish(new ServingUsageRecorded(_instance, usage, latency), timeout.Token);
                _usage.RemoveRange(0, usage.Count); // what was sent is never sent again
                _latency.RemoveRange(0, latency.Count);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            var excess = _usage.Count - options.Value.MaxPending;
            if (excess > 0) _usage.RemoveRange(0, excess);
            if (_latency.Count > options.Value.MaxPending) _latency.RemoveRange(0, _latency.Count - options.Value.MaxPending);
            NotReported(logger, _usage.Count + _latency.Count, e.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Usage counts not reported yet ({Pending} waiting): {Reason}")]
    private static partial void NotReported(ILogger logger, int pending, string reason);
}
