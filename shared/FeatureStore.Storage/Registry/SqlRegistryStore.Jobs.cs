using System.Data.Common;
using FeatureStore.Domain;

namespace FeatureStore.Storage.Registry;

/// <summary>Materialization job records.</summary>
public sealed partial class SqlRegistryStore
{
    private const string JobColumns = """
        id, project, view, version, window_start, window_end, status, created_at, started_at, finished_at,
        rows_read, rows_written, online_keys_written, duration_ms, error
        """;

    public async Task CreateJobAsync(MaterializationJob job, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await ExecuteAsync(connection, null, """
            INSERT INTO materialization_jobs (id, project, view, version, window_start, window_end, status, created_at)
            VALUES (@id, @project, @view, @version, @start, @end, @status, @created)
            """, cancellationToken,
            ("id", job.Id.ToString("D")), ("project", job.Project), ("view", job.View), ("version", job.Version),
            ("start", job.Window.Start.ToUniversalTime()), ("end", job.Window.End.ToUniversalTime()),
            ("status", job.Status.ToString().ToLowerInvariant()), ("created", job.CreatedAt.ToUniversalTime()));
    }

    public async Task<MaterializationJob?> FindJobAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await QueryAsync(connection, null, $"SELECT {JobColumns} FROM materialization_jobs WHERE id = @id",
            ReadJob, cancellationToken, ("id", id.ToString("D")));
        return rows.FirstOrDefault();
    }

    public async Task<IReadOnlyList<MaterializationJob>> ListJobsAsync(string project, string view, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await QueryAsync(connection, null,
            $"SELECT {JobColumns} FROM materialization_jobs WHERE project = @project AND view = @view ORDER BY created_at DESC, id LIMIT @limit",
            ReadJob, cancellationToken, ("project", project), ("view", view), ("limit", limit));
    }

    public Task<bool> MarkJobRunningAsync(Guid id, DateTimeOffset startedAt, CancellationToken cancellationToken) => TransitionAsync(
        "UPDATE materialization_jobs SET status = 'running', started_at = @at WHERE id = @id AND status = 'pending'",
        cancellationToken, ("id", id.ToString("D")), ("at", startedAt.ToUniversalTime()));

    public Task<bool> MarkJobSucceededAsync(Guid id, JobOutcome outcome, CancellationToken cancellationToken) => TransitionAsync("""
        UPDATE materialization_jobs SET status = 'succeeded', finished_at = @at, rows_read = @read, rows_written = @written,
               online_keys_written = @keys, duration_ms = @duration, started_at = COALESCE(started_at, @at)
        WHERE id = @id AND status IN ('pending', 'running')
        """, cancellationToken, ("id", id.ToString("D")), ("at", outcome.FinishedAt.ToUniversalTime()), ("read", outcome.RowsRead),
        ("written", outcome.RowsWritten), ("keys", outcome.OnlineKeysWritten), ("duration", outcome.Duration.TotalMilliseconds));

    public Task<bool> MarkJobFailedAsync(Guid id, string error, TimeSpan? duration, DateTimeOffset finishedAt, CancellationToken cancellationToken) => TransitionAsync("""
        UPDATE materialization_jobs SET status = 'failed', finished_at = @at, error = @error, duration_ms = @duration
        WHERE id = @id AND status IN ('pending', 'running')
        """, cancellationToken, ("id", id.ToString("D")), ("at", finishedAt.ToUniversalTime()), ("error", error),
        ("duration", duration?.TotalMilliseconds));

    private async Task<bool> TransitionAsync(string sql, CancellationToken cancellationToken, params (string, object?)[] parameters)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await ExecuteAsync(connection, null, sql, cancellationToken, parameters) > 0;
    }

    private static MaterializationJob ReadJob(DbDataReader r)
    {
        T? Nullable<T>(int i) where T : struct => r.IsDBNull(i) ? null : r.GetFieldValue<T>(i);
        return new MaterializationJob(
            Guid.Parse(r.GetString(0)), r.GetString(1), r.GetString(2), Convert.ToInt32(r.GetValue(3)),
            new TimeWindow(r.GetFieldValue<DateTimeOffset>(4), r.GetFieldValue<DateTimeOffset>(5)),
            Enum.Parse<JobStatus>(r.GetString(6), ignoreCase: true), r.GetFieldValue<DateTimeOffset>(7),
            Nullable<DateTimeOffset>(8), Nullable<DateTimeOffset>(9),
            Nullable<long>(10), Nullable<long>(11), Nullable<long>(12),
            r.IsDBNull(13) ? null : TimeSpan.FromMilliseconds(r.GetDouble(13)),
            r.IsDBNull(14) ? null : r.GetString(14));
    }
}
