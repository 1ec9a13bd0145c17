using System.Data.Common;
using FeatureStore.Domain;
using static FeatureStore.Storage.Sql.SqlCommands;

namespace FeatureStore.Registry.Storage;

/// <summary>Schedule fires, recorded once whichever registry instance fires first.</summary>
public sealed partial class SqlRegistryStore
{
    public async Task<DateTimeOffset?> LastScheduleFireAsync(string project, string view, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var fires = await QueryAsync(connection, null,
            "SELECT fire_time FROM schedule_fires WHERE project = @project AND view = @view ORDER BY fire_time DESC LIMIT 1",
            r => r.GetFieldValue<DateTimeOffset>(0), cancellationToken, ("project", project), ("view", view));
        return fires.Count > 0 ? fires[0] : null;
    }

    public async Task<bool> TryRecordScheduleFireAsync(string project, string view, DateTimeOffset fireTime,
        CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        try
        {
            await ExecuteAsync(connection, null, "INSERT INTO schedule_fires (project, view, fire_time) VALUES (@project, @view, @at)",
                cancellationToken, ("project", project), ("view", view), ("at", fireTime.ToUniversalTime()));
            return true;
        }
        catch (Exception e) when (dialect.IsUniqueViolation(e))
        {
            return false;
        }
    }
}
