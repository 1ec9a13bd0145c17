using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace FeatureStore.Storage.Registry;

/// <summary>
/// Brings the registry schema up to date before the service takes requests. The database may still be
/// starting (containers, CI), so it retries for a while before giving up with the reason.
/// </summary>
public sealed partial class RegistryMigrator(SqlRegistryStore store, ILogger<RegistryMigrator> logger) : IHostedService
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var deadline = DateTimeOffset.UtcNow + Patience;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await store.MigrateAsync(cancellationToken);
                Migrated(logger, store.Dialect.Name);
                return;
            }
            catch (Exception e) when (DateTimeOffset.UtcNow < deadline && !cancellationToken.IsCancellationRequested)
            {
                Waiting(logger, attempt, e.Message);
                await Task.Delay(TimeSpan.FromSeconds(Math.Min(attempt, 5)), cancellationToken);
            }
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Registry schema is up to date ({Dialect})")]
    private static partial void Migrated(ILogger logger, string dialect);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Registry database not ready (attempt {Attempt}): {Reason}; retrying")]
    private static partial void Waiting(ILogger logger, int attempt, string reason);
}
