using System.Data.Common;
using static FeatureStore.Storage.Registry.SqlCommands;
using FeatureStore.Domain;

namespace FeatureStore.Storage.Registry;

/// <summary>Materialization jobs and their partitions.</summary>
public sealed partial class SqlRegistryStore
{
    private const string JobColumns = """
        id, project, view, version, window_start, window_end, status, created_at, started_at, finished_at,
        rows_read, rows_written, online_keys_written, duration_ms, error,
        partition_count, incremental, rows_in_window, invalid_rows, rows_done, rows_total, statistics,
        history, offline, push_cut, offline_rows_written
        """;

    private const string PartitionColumns = """
        partition_index, status, worker, rows_done, rows_total, rows_read, rows_in_window, rows_written, online_keys_written,
        invalid_rows, duration_ms, error, statistics, updated_at, offline_rows_written
        """;

    private const string Open = "('pending', 'running')";

    public async Task CreateJobAsync(MaterializationJob job, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        try
        {
            await ExecuteAsync(connection, transaction, """
                INSERT INTO materialization_jobs (id, project, view, version, window_start, window_end, status, created_at, partition_count, incremental,
                  history, offline, push_cut)
                VALUES (@id, @project, @view, @version, @start, @end, 'pending', @created, @partitions, @incremental, @history, @offline, @cut)
                """, cancellationToken,
                ("id", job.Id.ToString("D")), ("project", job.Project), ("view", job.View), ("version", job.Version),
                ("start", job.Window.Start.ToUniversalTime()), ("end", job.Window.End.ToUniversalTime()), ("created", job.CreatedAt.ToUniversalTime()),
                ("partitions", job.PartitionCount), ("incremental", job.Incremental ? 1 : 0), ("history", job.HistoryVersion),
                ("offline", job.Offline ? 1 : 0), ("cut", job.PushCut));
        }
        catch (Exception e) when (dialect.IsUniqueViolation(e))
        {
            await transaction.RollbackAsync(cancellationToken);
            var active = await QueryAsync(connection, null, $"SELECT id FROM materialization_jobs WHERE project = @project AND view = @view AND status IN {Open}",
                r => Guid.Parse(r.GetString(0)), cancellationToken, ("project", job.Project), ("view", job.View));
            throw new ActiveJobExistsException(active.FirstOrDefault(), e);
        }
        for (var partition = 0; partition < job.PartitionCount; partition++)
            await ExecuteAsync(connection, transaction, """
                INSERT INTO materialization_partitions (job_id, partition_index, status, updated_at) VALUES (@id, @partition, 'pending', @created)
                """, cancellationToken, ("id", job.Id.ToString("D")), ("partition", partition), ("created", job.CreatedAt.ToUniversalTime()));
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
        return await QueryAsync(connection, null, $"SELECT {PartitionColumns} FROM materialization_partitions WHERE job_id = @id ORDER BY partition_index",
            ReadPartition, cancellationToken, ("id", id.ToString("D")));
    }

    public async Task<IReadOnlyList<MaterializationJob>> ListJobsAsync(string project, string view, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await QueryAsync(connection, null,
            $"SELECT {JobColumns} FROM materialization_jobs WHERE project = @project AND view = @view ORDER BY created_at DESC, id LIMIT @limit",
            ReadJob, cancellationToken, ("project", project), ("view", view), ("limit", limit));
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

    public async Task<bool> MarkPartitionRunningAsync(Guid id, int partition, string? worker, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var changed = await ExecuteAsync(connection, transaction, """
            UPDATE materialization_partitions SET status = 'running', worker = @worker, updated_at = @at
            WHERE job_id = @id AND partition_index = @partition AND status IN ('pending', 'running')
            """, cancellationToken, ("id", id.ToString("D")), ("partition", partition), ("worker", worker), ("at", at.ToUniversalTime())) > 0;
        await ExecuteAsync(connection, transaction,
            "UPDATE materialization_jobs SET status = 'running', started_at = COALESCE(started_at, @at) WHERE id = @id AND status = 'pending'",
            cancellationToken, ("id", id.ToString("D")), ("at", at.ToUniversalTime()));
        await transaction.CommitAsync(cancellationToken);
        return changed;
    }

    public async Task RecordProgressAsync(Guid id, int partition, long done, long total, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        if (await ExecuteAsync(connection, null, """
                UPDATE materialization_partitions SET rows_done = @done, rows_total = @total, updated_at = @at
                WHERE job_id = @id AND partition_index = @partition AND status = 'running'
                """, cancellationToken, ("id", id.ToString("D")), ("partition", partition), ("done", done), ("total", total), ("at", at.ToUniversalTime())) == 0)
            return;
        await ExecuteAsync(connection, null, $"""
            UPDATE materialization_jobs SET
              rows_done = (SELECT SUM(rows_done) FROM materialization_partitions p WHERE p.job_id = materialization_jobs.id),
              rows_total = (SELECT SUM(rows_total) FROM materialization_partitions p WHERE p.job_id = materialization_jobs.id)
            WHERE id = @id AND status IN {Open}
            """, cancellationToken, ("id", id.ToString("D")));
    }

    public async Task<PartitionResult> CompletePartitionAsync(Guid id, int partition, PartitionOutcome outcome,
        Func<IReadOnlyList<string>, string?> mergeStatistics, CancellationToken cancellationToken)
    {
        var key = id.ToString("D");
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // Locks the job: partitions finishing at the same moment are recorded one after the other, so exactly one sees it is the last.
        var job = (await QueryAsync(connection, transaction, $"SELECT {JobColumns} FROM materialization_jobs WHERE id = @id{dialect.ForUpdate}",
            ReadJob, cancellationToken, ("id", key))).FirstOrDefault();
        if (job is null || job.Status.IsFinal()) return PartitionResult.Ignored;
        var at = outcome.FinishedAt.ToUniversalTime();
        if (await ExecuteAsync(connection, transaction, $"""
                UPDATE materialization_partitions SET status = 'succeeded', rows_read = @read, rows_in_window = @window, rows_written = @written,
                  online_keys_written = @keys, invalid_rows = @invalid, duration_ms = @duration, statistics = @statistics,
                  rows_done = COALESCE(rows_total, @written), updated_at = @at, offline_rows_written = @offlineRows
                WHERE job_id = @id AND partition_index = @partition AND status IN {Open}
                """, cancellationToken, ("id", key), ("partition", partition), ("read", outcome.RowsRead), ("window", outcome.RowsInWindow),
                ("written", outcome.RowsWritten), ("keys", outcome.OnlineKeysWritten), ("invalid", outcome.InvalidRows),
                ("duration", outcome.Duration.TotalMilliseconds), ("statistics", outcome.StatisticsJson), ("at", at),
                ("offlineRows", outcome.OfflineRowsWritten)) == 0)
            return PartitionResult.Ignored;
        foreach (var file in outcome.Files) await StageAsync(connection, transaction, file with { History = job.HistoryVersion }, cancellationToken);

        var remaining = await QueryAsync(connection, transaction, "SELECT COUNT(*) FROM materialization_partitions WHERE job_id = @id AND status <> 'succeeded'",
            r => Convert.ToInt64(r.GetValue(0)), cancellationToken, ("id", key));
        if (remaining[0] > 0)
        {
            await transaction.CommitAsync(cancellationToken);
            return PartitionResult.Recorded;
        }
        // The job's statistics are merged in the same transaction: whoever sees it succeeded sees them too.
        var statistics = await QueryAsync(connection, transaction,
            "SELECT statistics FROM materialization_partitions WHERE job_id = @id AND statistics IS NOT NULL ORDER BY partition_index",
            r => r.GetString(0), cancellationToken, ("id", key));
        // Every partition reads the whole source, so the job read it once: its rows read are any partition's (the greatest).
        await ExecuteAsync(connection, transaction, """
            UPDATE materialization_jobs SET status = 'succeeded', finished_at = @at, started_at = COALESCE(started_at, @at),
              rows_read = (SELECT MAX(rows_read) FROM materialization_partitions p WHERE p.job_id = materialization_jobs.id),
              rows_in_window = (SELECT SUM(rows_in_window) FROM materialization_partitions p WHERE p.job_id = materialization_jobs.id),
              rows_written = (SELECT SUM(rows_written) FROM materialization_partitions p WHERE p.job_id = materialization_jobs.id),
              online_keys_written = (SELECT SUM(online_keys_written) FROM materialization_partitions p WHERE p.job_id = materialization_jobs.id),
              offline_rows_written = (SELECT SUM(offline_rows_written) FROM materialization_partitions p WHERE p.job_id = materialization_jobs.id),
              invalid_rows = (SELECT SUM(invalid_rows) FROM materialization_partitions p WHERE p.job_id = materialization_jobs.id),
              rows_done = (SELECT SUM(rows_done) FROM materialization_partitions p WHERE p.job_id = materialization_jobs.id),
              rows_total = (SELECT SUM(rows_done) FROM materialization_partitions p WHERE p.job_id = materialization_jobs.id),
              duration_ms = (SELECT MAX(duration_ms) FROM materialization_partitions p WHERE p.job_id = materialization_jobs.id),
              statistics = @statistics
            WHERE id = @id
            """, cancellationToken, ("id", key), ("at", at), ("statistics", statistics.Count > 0 ? mergeStatistics(statistics) : null));
        if (job.Offline) await CommitRunAsync(connection, transaction, job, at, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return PartitionResult.JobSucceeded;
    }

    public async Task<bool> FailPartitionAsync(Guid id, int partition, string error, TimeSpan? duration, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await ExecuteAsync(connection, transaction, $"""
            UPDATE materialization_partitions SET status = 'failed', error = @error, duration_ms = @duration, updated_at = @at
            WHERE job_id = @id AND partition_index = @partition AND status IN {Open}
            """, cancellationToken, ("id", id.ToString("D")), ("partition", partition), ("error", error), ("duration", duration?.TotalMilliseconds),
            ("at", at.ToUniversalTime()));
        var failed = await ExecuteAsync(connection, transaction, $"""
            UPDATE materialization_jobs SET status = 'failed', finished_at = @at, error = @error, duration_ms = @duration
            WHERE id = @id AND status IN {Open}
            """, cancellationToken, ("id", id.ToString("D")), ("error", error), ("duration", duration?.TotalMilliseconds), ("at", at.ToUniversalTime())) > 0;
        await transaction.CommitAsync(cancellationToken);
        return failed;
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
            UPDATE materialization_jobs SET status = @status, finished_at = @at, error = COALESCE(@error, error) WHERE id = @id AND status IN {Open}
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
            r.IsDBNull(21) ? null : r.GetString(21), r.IsDBNull(22) ? null : Convert.ToInt32(r.GetValue(22)), Convert.ToInt32(r.GetValue(23)) != 0,
            Long(24), Long(25));
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
