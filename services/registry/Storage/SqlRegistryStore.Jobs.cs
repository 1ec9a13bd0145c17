using System.Data.Common;
using FeatureStore.Domain;
using static FeatureStore.Storage.Sql.SqlCommands;

namespace FeatureStore.Registry.Storage;

/// <summary>Materialization jobs and their partitions.</summary>
public sealed partial class SqlRegistryStore
{
    private const string JobColumns = """
        id, project, view, version, window_start, window_end, status, created_at, started_at, finished_at,
        rows_read, rows_written, online_keys_written, duration_ms, error,
        partition_count, incremental, rows_in_window, invalid_rows, rows_done, rows_total, statistics,
        history, offline, push_cut, offline_rows_written, newest_event_time
        """;

    private const string PartitionColumns = """
        partition_index, status, worker, rows_done, rows_total, rows_read, rows_in_window, rows_written, online_keys_written,
        invalid_rows, duration_ms, error, statistics, updated_at, offline_rows_written
        """;

    private const string Open = JobStatuses.OpenSql;

    public async Task CreateJobAsync(MaterializationJob job, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        try
        {
            await ExecuteAsync(connection, transaction, """
                INSERT INTO materialization_jobs (id, project, view, version, window_start, window_end, status, created_at,
                  partition_count, incremental,
                  history, offline, push_cut)
                VALUES (@id, @project, @view, @version, @start, @end, 'pending', @created, @partitions, @incremental,
                  @history, @offline, @cut)
                """, cancellationToken,
                ("id", job.Id.ToString("D")), ("project", job.Project), ("view", job.View), ("version", job.Version),
                ("start", job.Window.Start.ToUniversalTime()), ("end", job.Window.End.ToUniversalTime()),
                ("created", job.CreatedAt.ToUniversalTime()),
                ("partitions", job.PartitionCount), ("incremental", job.Incremental ? 1 : 0), ("history", job.HistoryVersion),
                ("offline", job.Offline ? 1 : 0), ("cut", job.PushCut));
        }
        catch (Exception e) when (dialect.IsUniqueViolation(e))
        {
            await transaction.RollbackAsync(cancellationToken);
            var active = await QueryAsync(connection, null,
                $"SELECT id FROM materialization_jobs WHERE project = @project AND view = @view AND status IN {Open}",
                r => Guid.Parse(r.GetString(0)), cancellationToken, ("project", job.Project), ("view", job.View));
            throw new ActiveJobExistsException(job.View, active.FirstOrDefault());
        }
        for (var partition = 0; partition < job.PartitionCount; partition++)
            await ExecuteAsync(connection, transaction, """
                INSERT INTO materialization_partitions (job_id, partition_index, status, updated_at)
                VALUES (@id, @partition, 'pending', @created)
                """, cancellationToken, ("id", job.Id.ToString("D")), ("partition", partition),
                ("created", job.CreatedAt.ToUniversalTime()));
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task<MaterializationJob?> FindJobAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return (await QueryAsync(connection, null, $"SELECT {JobColumns} FROM materialization_jobs WHERE id = @id",
            ReadJob, cancellationToken, ("id", id.ToString("D")))).FirstOrDefault();
    }

    public async Task<IReadOnlyList<JobPartition>> ListPartitionsAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await QueryAsync(connection, null,
            $"SELECT {PartitionColumns} FROM materialization_partitions WHERE job_id = @id ORDER BY partition_index",
            ReadPartition, cancellationToken, ("id", id.ToString("D")));
    }

    public async Task<IReadOnlyList<MaterializationJob>> ListJobsAsync(string project, string view, int limit,
        CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await QueryAsync(connection, null,
            $"SELECT {JobColumns} FROM materialization_jobs WHERE project = @project AND view = @view " +
                "ORDER BY created_at DESC, id LIMIT @limit",
            ReadJob, cancellationToken, ("project", project), ("view", view), ("limit", limit));
    }

    public async Task<IReadOnlyList<MaterializationJob>> ListSucceededJobsAsync(string project, string view, DateTimeOffset since,
        DateTimeOffset until, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var jobs = await QueryAsync(connection, null, $"""
            SELECT {JobColumns} FROM materialization_jobs
            WHERE project = @project AND view = @view AND status = 'succeeded' AND finished_at >= @since AND finished_at <= @until
            ORDER BY finished_at DESC, id LIMIT @limit
            """, ReadJob, cancellationToken, ("project", project), ("view", view), ("since", since.ToUniversalTime()),
            ("until", until.ToUniversalTime()), ("limit", limit));
        return jobs.AsEnumerable().Reverse().ToList();
    }

    public async Task<IReadOnlyList<ViewRunSummary>> SummarizeRunsAsync(string? project, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await QueryAsync(connection, null, $"""
            SELECT project, view,
              MAX(CASE WHEN status = 'succeeded' THEN finished_at END), MAX(CASE WHEN status = 'succeeded' THEN window_end END),
              MAX(CASE WHEN status = 'failed' THEN finished_at END), MAX(CASE WHEN status = 'succeeded' THEN newest_event_time END)
            FROM materialization_jobs
            WHERE status IN ('succeeded', 'failed'){(project is null ? "" : " AND project = @project")}
            GROUP BY project, view ORDER BY project, view
            """, r =>
            {
                DateTimeOffset? Time(int i) => r.IsDBNull(i) ? null : r.GetFieldValue<DateTimeOffset>(i);
                return new ViewRunSummary(r.GetString(0), r.GetString(1), Time(2), Time(3), Time(4), Time(5));
            }, cancellationToken, ("project", project));
    }

    public async Task<DateTimeOffset?> LastSucceededEndAsync(string project, string view, int history, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var ends = await QueryAsync(connection, null, """
            SELECT window_end FROM materialization_jobs
            WHERE project = @project AND view = @view AND history = @history AND status = 'succeeded'
            ORDER BY window_end DESC LIMIT 1
            """, r => r.GetFieldValue<DateTimeOffset>(0), cancellationToken, ("project", project), ("view", view), ("history", history));
        return ends.Count > 0 ? ends[0] : null;
    }

    public async Task<IReadOnlyList<OnlineProject>> OnlineProjectsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await QueryAsync(connection, null, """
            SELECT project, MIN(finished_at), MAX(finished_at) FROM materialization_jobs
            WHERE status = 'succeeded' AND online_keys_written > 0 GROUP BY project ORDER BY project
            """, r => new OnlineProject(r.GetString(0), r.GetFieldValue<DateTimeOffset>(1), r.GetFieldValue<DateTimeOffset>(2)),
            cancellationToken);
    }

    public async Task<bool> FailJobAsync(Guid id, string error, DateTimeOffset at, CancellationToken cancellationToken) =>
        await CloseJobAsync(id, "failed", error, at, cancellationToken);

    public async Task<bool> CancelJobAsync(Guid id, DateTimeOffset at, CancellationToken cancellationToken) =>
        await CloseJobAsync(id, "cancelled", null, at, cancellationToken);

    private async Task<bool> CloseJobAsync(Guid id, string status, string? error, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var closed = await ExecuteAsync(connection, transaction, $"""
            UPDATE materialization_jobs SET status = @status, finished_at = @at, error = COALESCE(@error, error)
            WHERE id = @id AND status IN {Open}
            """, cancellationToken, ("id", id.ToString("D")), ("status", status), ("error", error), ("at", at.ToUniversalTime())) > 0;
        await ExecuteAsync(connection, transaction,
            $"UPDATE materialization_partitions SET status = @status, updated_at = @at WHERE job_id = @id AND status IN {Open}",
            cancellationToken, ("id", id.ToString("D")), ("status", status), ("at", at.ToUniversalTime()));
        await transaction.CommitAsync(cancellationToken);
        return closed;
    }

    private static MaterializationJob ReadJob(DbDataReader r)
    {
        T? Nullable<T>(int i) where T : struct => r.IsDBNull(i) ? null : r.GetFieldValue<T>(i);
        long? Long(int i) => r.IsDBNull(i) ? null : Convert.ToInt64(r.GetValue(i));
        return new MaterializationJob(
            Guid.Parse(r.GetString(0)), r.GetString(1), r.GetString(2), Convert.ToInt32(r.GetValue(3)),
            new TimeWindow(r.GetFieldValue<DateTimeOffset>(4), r.GetFieldValue<DateTimeOffset>(5)),
            Enum.Parse<JobStatus>(r.GetString(6), ignoreCase: true), r.GetFieldValue<DateTimeOffset>(7),
            Nullable<DateTimeOffset>(8), Nullable<DateTimeOffset>(9), Long(10), Long(11), Long(12),
            r.IsDBNull(13) ? null : TimeSpan.FromMilliseconds(r.GetDouble(13)), r.IsDBNull(14) ? null : r.GetString(14),
            Convert.ToInt32(r.GetValue(15)), Convert.ToInt32(r.GetValue(16)) != 0, Long(17), Long(18), Long(19), Long(20),
            r.IsDBNull(21) ? null : r.GetString(21), r.IsDBNull(22) ? null : Convert.ToInt32(r.GetValue(22)),
            Convert.ToInt32(r.GetValue(23)) != 0,
            Long(24), Long(25), Nullable<DateTimeOffset>(26));
    }

    private static JobPartition ReadPartition(DbDataReader r)
    {
        long? Long(int i) => r.IsDBNull(i) ? null : Convert.ToInt64(r.GetValue(i));
        return new JobPartition(Convert.ToInt32(r.GetValue(0)), Enum.Parse<JobStatus>(r.GetString(1), ignoreCase: true),
            r.IsDBNull(2) ? null : r.GetString(2), Long(3), Long(4), Long(5), Long(6), Long(7), Long(8), Long(9),
            r.IsDBNull(10) ? null : TimeSpan.FromMilliseconds(r.GetDouble(10)), r.IsDBNull(11) ? null : r.GetString(11),
            r.IsDBNull(12) ? null : r.GetString(12), r.GetFieldValue<DateTimeOffset>(13), Long(14));
    }
}
