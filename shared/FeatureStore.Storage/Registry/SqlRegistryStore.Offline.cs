using System.Data.Common;
using static FeatureStore.Storage.Registry.SqlCommands;
using FeatureStore.Domain;

namespace FeatureStore.Storage.Registry;

/// <summary>
/// Staging of offline files, the record of schedule fires, and which models use which feature services (for lineage).
/// The offline histories' commits and push logs are in <c>SqlRegistryStore.History.cs</c>.
/// </summary>
public sealed partial class SqlRegistryStore
{
    private const string FileColumns = """
        path, project, view, version, job_id, partition_index, event_date, row_count, min_event_time, max_event_time,
        content_hash, size_bytes, window_start, window_end, commit_sequence
        """;

    /// <summary>Adds (or, when a retried run wrote it again, refreshes) a file of a job, still invisible.</summary>
    private static Task<int> StageAsync(DbConnection connection, DbTransaction transaction, OfflineFileRecord file, CancellationToken cancellationToken) =>
        ExecuteAsync(connection, transaction, $"""
            INSERT INTO offline_files ({FileColumns})
            VALUES (@path, @project, @view, @version, @job, @partition, @date, @rows, @min, @max, @hash, @size, @start, @end, NULL)
            ON CONFLICT (path) DO UPDATE SET row_count = excluded.row_count, min_event_time = excluded.min_event_time,
              max_event_time = excluded.max_event_time, content_hash = excluded.content_hash, size_bytes = excluded.size_bytes
            """, cancellationToken, ("path", file.Path), ("project", file.Project), ("view", file.View), ("version", file.History),
            ("job", file.JobId.ToString("D")), ("partition", file.Partition), ("date", file.Date), ("rows", file.RowCount),
            ("min", file.MinEventTime.ToUniversalTime()), ("max", file.MaxEventTime.ToUniversalTime()), ("hash", file.ContentHash),
            ("size", file.SizeBytes), ("start", file.WindowStart.ToUniversalTime()), ("end", file.WindowEnd.ToUniversalTime()));

    public async Task<DateTimeOffset?> LastScheduleFireAsync(string project, string view, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var fires = await QueryAsync(connection, null,
            "SELECT fire_time FROM schedule_fires WHERE project = @project AND view = @view ORDER BY fire_time DESC LIMIT 1",
            r => r.GetFieldValue<DateTimeOffset>(0), cancellationToken, ("project", project), ("view", view));
        return fires.Count > 0 ? fires[0] : null;
    }

    public async Task<bool> TryRecordScheduleFireAsync(string project, string view, DateTimeOffset fireTime, CancellationToken cancellationToken)
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

    public async Task RecordModelUsesAsync(IReadOnlyList<ModelUse> uses, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        foreach (var use in uses)
            await ExecuteAsync(connection, null, """
                INSERT INTO model_uses (project, model, version, feature_service, feature_service_version, role, trained_at)
                VALUES (@project, @model, @version, @service, @serviceVersion, @role, @at) ON CONFLICT DO NOTHING
                """, cancellationToken, ("project", use.Project), ("model", use.Model), ("version", use.Version), ("service", use.FeatureService),
                ("serviceVersion", use.FeatureServiceVersion), ("role", use.Role), ("at", use.TrainedAt.ToUniversalTime()));
    }

    public async Task<IReadOnlyList<ModelUse>> ListModelUsesAsync(string project, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await QueryAsync(connection, null, """
            SELECT project, model, version, feature_service, feature_service_version, role, trained_at FROM model_uses
            WHERE project = @project ORDER BY model, version, role
            """, r => new ModelUse(r.GetString(0), r.GetString(1), Convert.ToInt32(r.GetValue(2)), r.GetString(3), Convert.ToInt32(r.GetValue(4)),
                r.GetString(5), r.GetFieldValue<DateTimeOffset>(6)), cancellationToken, ("project", project));
    }

    private static OfflineFileRecord ReadFile(DbDataReader r) => new(
        r.GetString(0), r.GetString(1), r.GetString(2), Convert.ToInt32(r.GetValue(3)), Guid.Parse(r.GetString(4)), Convert.ToInt32(r.GetValue(5)),
        r.GetString(6), Convert.ToInt64(r.GetValue(7)), r.GetFieldValue<DateTimeOffset>(8), r.GetFieldValue<DateTimeOffset>(9), r.GetString(10),
        Convert.ToInt64(r.GetValue(11)), r.GetFieldValue<DateTimeOffset>(12), r.GetFieldValue<DateTimeOffset>(13),
        r.IsDBNull(14) ? null : Convert.ToInt64(r.GetValue(14)));
}
