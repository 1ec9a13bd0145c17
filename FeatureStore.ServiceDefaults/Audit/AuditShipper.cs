using FeatureStore.Domain.Security;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace FeatureStore.Api.Audit;

/// <summary>
/// Empties the <see cref="AuditTrail"/> in batches (up to <see cref="BatchSize"/>, in order) into the process's
/// <see cref="IAuditSink"/>. A batch that cannot be written is kept and tried again with growing pauses (at most 10 s) while
/// new records wait in the bounded queue; meanwhile an error is logged every 30 s and the <c>audit</c> health check reports
/// Degraded. On stop it writes what is left, for a few seconds at most.
/// </summary>
public sealed partial class AuditShipper(AuditTrail trail, IAuditSink sink, TimeProvider clock, ILogger<AuditShipper> logger)
    : BackgroundService, IHealthCheck
{
    public const int BatchSize = 500;
    private static readonly TimeSpan MaxPause = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan LogEvery = TimeSpan.FromSeconds(30);

    private DateTimeOffset? _failingSince;
    private string? _lastError;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (await trail.Reader.WaitToReadAsync(stoppingToken))
                await WriteAsync(Batch(), stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        using var drain = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        drain.CancelAfter(TimeSpan.FromSeconds(5));
        try
        {
            while (trail.Reader.Count > 0) await WriteAsync(Batch(), drain.Token);
        }
        catch (OperationCanceledException)
        {
            if (trail.Reader.Count > 0) LogLeft(logger, trail.Reader.Count);
        }
    }

    private List<AuditRecord> Batch()
    {
        var batch = new List<AuditRecord>(Math.Min(BatchSize, trail.Reader.Count));
        while (batch.Count < BatchSize && trail.Reader.TryRead(out var record)) batch.Add(record);
        return batch;
    }

    private async Task WriteAsync(List<AuditRecord> batch, CancellationToken cancellationToken)
    {
        if (batch.Count == 0) return;
        var pause = TimeSpan.FromMilliseconds(250);
        var loggedAt = DateTimeOffset.MinValue;
        while (true)
        {
            try
            {
                await sink.WriteAsync(batch, cancellationToken);
                trail.Written(batch.Count);
                if (_failingSince is { } since) LogRecovered(logger, clock.GetUtcNow() - since);
                _failingSince = null;
                return;
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                _failingSince ??= clock.GetUtcNow();
                _lastError = e.Message;
                if (clock.GetUtcNow() - loggedAt >= LogEvery)
                {
                    loggedAt = clock.GetUtcNow();
                    LogFailing(logger, e, batch.Count + trail.Reader.Count, trail.Dropped);
                }
            }
            await Task.Delay(pause, clock, cancellationToken);
            pause = TimeSpan.FromTicks(Math.Min(pause.Ticks * 2, MaxPause.Ticks));
        }
    }

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var dropped = trail.Dropped;
        if (_failingSince is { } since)
            return Task.FromResult(HealthCheckResult.Degraded(
                $"the audit log cannot be written since {since:O} ({_lastError}); {trail.Waiting} records waiting, {dropped} dropped"));
        return Task.FromResult(dropped > 0
            ? HealthCheckResult.Degraded($"{dropped} audit records were dropped while the audit log could not be written")
            : HealthCheckResult.Healthy($"{trail.Waiting} records waiting"));
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "The audit log cannot be written: {Waiting} records are waiting and {Dropped} were "
        + "dropped; retrying (logged every 30 s while it lasts)")]
    private static partial void LogFailing(ILogger logger, Exception error, int waiting, long dropped);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The audit log is written again after {Outage}")]
    private static partial void LogRecovered(ILogger logger, TimeSpan outage);

    [LoggerMessage(Level = LogLevel.Error, Message = "Stopping with {Left} audit records not written")]
    private static partial void LogLeft(ILogger logger, int left);
}
