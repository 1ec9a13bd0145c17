using System.Data.Common;
using FeatureStore.Domain;
using static FeatureStore.Storage.Sql.SqlCommands;

namespace FeatureStore.Registry.Storage;

/// <summary>Partitions as workers report them: running, progress, done (the last one completes the job and commits its files),
/// failed.</summary>
public sealed partial class SqlRegistryStore
{
    public async Task<bool> MarkPartitionRunningAsync(Guid id, int partition, string? worker, DateTimeOffset at,
        CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var changed = await ExecuteAsync(connection, transaction, $"""
            UPDATE materialization_partitions SET status = 'running', worker = @worker, updated_at = @at
            WHERE job_id = @id AND partition_index = @partition AND status IN {Open}
            """, cancellationToken, ("id", id.ToString("D")), ("partition", partition), ("worker", worker),
            ("at", at.ToUniversalTime())) > 0;
        await ExecuteAsync(connection, transaction,
            "UPDATE materialization_jobs SET status = 'running', started_at = COALESCE(started_at, @at) " +
                "WHERE id = @id AND status = 'pending'",
            cancellationToken, ("id", id.ToString("D")), ("at", at.ToUniversalTime()));
        await transaction.CommitAsync(cancellationToken);
        return changed;
    }

    public async Task RecordProgressAsync(Guid id, int partition, long done, long total, DateTimeOffset at,
        CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        if (await ExecuteAsync(connection, null, """
                UPDATE materialization_partitions SET rows_done = @done, rows_total = @total, updated_at = @at
                WHERE job_id = @id AND partition_index = @partition AND status = 'running'
                """, cancellationToken, ("id", id.ToString("D")), ("partition", partition), ("done", done), ("total", total),
                ("at", at.ToUniversalTime())) == 0)
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
        var job = (await QueryAsync(connection, transaction,
            $"SELECT {JobColumns} FROM materialization_jobs WHERE id = @id{dialect.ForUpdate}",
            ReadJob, cancellationToken, ("id", key))).FirstOrDefault();
        if (job is null || job.Status.IsFinal()) return PartitionResult.Ignored;
        var at = outcome.FinishedAt.ToUniversalTime();
        if (await ExecuteAsync(connection, transaction, $"""
                UPDATE materialization_partitions SET status = 'succeeded', rows_read = @read, rows_in_window = @window,
                  rows_written = @written,
                  online_keys_written = @keys, invalid_rows = @invalid, duration_ms = @duration, statistics = @statistics,
                  rows_done = COALESCE(rows_total, @written), updated_at = @at, offline_rows_written = @offlineRows,
                  newest_event_time = @newest
                WHERE job_id = @id AND partition_index = @partition AND status IN {Open}
                """, cancellationToken, ("id", key), ("partition", partition), ("read", outcome.RowsRead), ("window", outcome.RowsInWindow),
                ("written", outcome.RowsWritten), ("keys", outcome.OnlineKeysWritten), ("invalid", outcome.InvalidRows),
                ("duration", outcome.Duration.TotalMilliseconds), ("statistics", outcome.StatisticsJson), ("at", at),
                ("offlineRows", outcome.OfflineRowsWritten), ("newest", outcome.NewestEventTime?.ToUniversalTime())) == 0)
            return PartitionResult.Ignored;
        foreach (var file in outcome.Files)
            await StageAsync(connection, transaction, file with { History = job.HistoryVersion }, cancellationToken);

        var remaining = await QueryAsync(connection, transaction,
            "SELECT COUNT(*) FROM materialization_partitions WHERE job_id = @id AND status <> 'succeeded'",
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
              online_keys_written = (SELECT SUM(online_keys_written) FROM materialization_partitions p
                WHERE p.job_id = materialization_jobs.id),
              offline_rows_written = (SELECT SUM(offline_rows_written) FROM materialization_partitions p
                WHERE p.job_id = materialization_jobs.id),
              invalid_rows = (SELECT SUM(invalid_rows) FROM materialization_partitions p WHERE p.job_id = materialization_jobs.id),
              rows_done = (SELECT SUM(rows_done) FROM materialization_partitions p WHERE p.job_id = materialization_jobs.id),
              rows_total = (SELECT SUM(rows_done) FROM materialization_partitions p WHERE p.job_id = materialization_jobs.id),
              duration_ms = (SELECT MAX(duration_ms) FROM materialization_partitions p WHERE p.job_id = materialization_jobs.id),
              newest_event_time = (SELECT MAX(newest_event_time) FROM materialization_partitions p
                WHERE p.job_id = materialization_jobs.id),
              statistics = @statistics
            WHERE id = @id
            """, cancellationToken, ("id", key), ("at", at), ("statistics", statistics.Count > 0 ? mergeStatistics(statistics) : null));
        if (job.Offline) await CommitRunAsync(connection, transaction, job, at, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return PartitionResult.JobSucceeded;
    }

    public async Task<bool> FailPartitionAsync(Guid id, int partition, string error, TimeSpan? duration, DateTimeOffset at,
        CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await ExecuteAsync(connection, transaction, $"""
            UPDATE materialization_partitions SET status = 'failed', error = @error, duration_ms = @duration, updated_at = @at
            WHERE job_id = @id AND partition_index = @partition AND status IN {Open}
            """, cancellationToken, ("id", id.ToString("D")), ("partition", partition), ("error", error),
            ("duration", duration?.TotalMilliseconds),
            ("at", at.ToUniversalTime()));
        var failed = await ExecuteAsync(connection, transaction, $"""
            UPDATE materialization_jobs SET status = 'failed', finished_at = @at, error = @error, duration_ms = @duration
            WHERE id = @id AND status IN {Open}
            """, cancellationToken, ("id", id.ToString("D")), ("error", error), ("duration", duration?.TotalMilliseconds),
            ("at", at.ToUniversalTime())) > 0;
        await transaction.CommitAsync(cancellationToken);
        return failed;
    }
}
