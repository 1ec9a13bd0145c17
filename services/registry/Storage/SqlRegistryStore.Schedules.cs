using FeatureStore.Domain;
using static FeatureStore.Storage.Sql.SqlCommands;

namespace FeatureStore.Registry.Storage;

/// <summary>Schedule fires (views' materializations, services' drift checks), recorded once whichever registry instance fires
/// first.</summary>
public sealed partial class SqlRegistryStore
{
    public Task<DateTimeOffset?> LastScheduleFireAsync(string project, string view, CancellationToken cancellationToken) =>
        LastFireAsync("schedule_fires", "view", project, view, cancellationToken);

    public Task<bool> TryRecordScheduleFireAsync(string project, string view, DateTimeOffset fireTime,
        CancellationToken cancellationToken) =>
        TryRecordFireAsync("schedule_fires", "view", project, view, fireTime, cancellationToken);

    public Task<DateTimeOffset?> LastDriftCheckAsync(string project, string service, CancellationToken cancellationToken) =>
        LastFireAsync("drift_check_fires", "feature_service", project, service, cancellationToken);

    public Task<bool> TryRecordDriftCheckAsync(string project, string service, DateTimeOffset fireTime,
        CancellationToken cancellationToken) =>
        TryRecordFireAsync("drift_check_fires", "feature_service", project, service, fireTime, cancellationToken);

    private async Task<DateTimeOffset?> LastFireAsync(string table, string column, string project, string name,
        CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var fires = await QueryAsync(connection, null,
            $"SELECT fire_time FROM {table} WHERE project = @project AND {column} = @name ORDER BY fire_time DESC LIMIT 1",
            r => r.GetFieldValue<DateTimeOffset>(0), cancellationToken, ("project", project), ("name", name));
        return fires.Count > 0 ? fires[0] : null;
    }

    private async Task<bool> TryRecordFireAsync(string table, string column, string project, string name, DateTimeOffset fireTime,
        CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        try
        {
            await ExecuteAsync(connection, null, $"INSERT INTO {table} (project, {column}, fire_time) VALUES (@project, @name, @at)",
                cancellationToken, ("project", project), ("name", name), ("at", fireTime.ToUniversalTime()));
            return true;
        }
        catch (Exception e) when (dialect.IsUniqueViolation(e))
        {
            return false;
        }
    }
}
