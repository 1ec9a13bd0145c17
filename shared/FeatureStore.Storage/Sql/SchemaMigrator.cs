using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace FeatureStore.Storage.Sql;

/// <summary>
/// Brings a service's schema up to date before the service takes requests. The database may still be
/// starting (containers, CI), so it retries for a while before giving up with the reason.
/// </summary>
public sealed partial class SchemaMigrator(SqlDatabase database, SqlSchema schema, ILogger<SchemaMigrator> logger) : IHostedService
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var deadline = DateTimeOffset.UtcNow + Patience;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await schema.MigrateAsync(database, cancellationToken);
                Migrated(logger, schema.Name, database.Dialect.Name);
                return;
            }
            catch (Exception e) when (DateTimeOffset.UtcNow < deadline && !cancellationToken.IsCancellationRequested)
            {
                Waiting(logger, schema.Name, attempt, e.Message);
                await Task.Delay(TimeSpan.FromSeconds(Math.Min(attempt, 5)), cancellationToken);
            }
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Schema {Schema} is up to date ({Dialect})")]
    private static partial void Migrated(ILogger logger, string schema, string dialect);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Database of schema {Schema} not ready (attempt {Attempt}): {Reason}; retrying")]
    private static partial void Waiting(ILogger logger, string schema, int attempt, string reason);
}
