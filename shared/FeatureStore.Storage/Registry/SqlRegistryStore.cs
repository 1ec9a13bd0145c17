using System.Data.Common;
using System.Text.Json;
using FeatureStore.Domain;

namespace FeatureStore.Storage.Registry;

/// <summary>The registry store on any ADO.NET source (PostgreSQL via Npgsql, SQLite); one SQL path for both.</summary>
public sealed class SqlRegistryStore(DbDataSource dataSource, SqlDialect dialect) : IRegistryStore
{
    private static readonly JsonSerializerOptions DefinitionJson = new(JsonSerializerDefaults.Web);

    public SqlDialect Dialect => dialect;

    public Task MigrateAsync(CancellationToken cancellationToken) => RegistrySchema.MigrateAsync(dataSource, dialect, cancellationToken);

    public async Task<ApplyResult> ApplyFeatureViewAsync(FeatureViewDefinition candidate, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var latest = await FindFeatureViewAsync(connection, transaction, candidate.Project, candidate.Name, null, cancellationToken);
        if (latest is not null && latest.SameDefinitionAs(candidate)) return new ApplyResult(latest, Changed: false);
        var stored = candidate with { Version = (latest?.Version ?? 0) + 1, CreatedAt = candidate.CreatedAt.ToUniversalTime() };
        try
        {
            await ExecuteAsync(connection, transaction,
                "INSERT INTO feature_views (project, name, version, definition, created_at) VALUES (@project, @name, @version, @definition, @created)",
                cancellationToken,
                ("project", stored.Project), ("name", stored.Name), ("version", stored.Version),
                ("definition", JsonSerializer.Serialize(stored, DefinitionJson)), ("created", stored.CreatedAt));
            await transaction.CommitAsync(cancellationToken);
        }
        catch (Exception e) when (dialect.IsUniqueViolation(e))
        {
            throw new ConcurrentChangeException($"feature view '{stored.Name}' was changed concurrently; version {stored.Version} already exists", e);
        }
        return new ApplyResult(stored, Changed: true);
    }

    public async Task<FeatureViewDefinition?> FindFeatureViewAsync(string project, string name, int? version, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await FindFeatureViewAsync(connection, null, project, name, version, cancellationToken);
    }

    private static async Task<FeatureViewDefinition?> FindFeatureViewAsync(DbConnection connection, DbTransaction? transaction,
        string project, string name, int? version, CancellationToken cancellationToken)
    {
        var sql = version is null
            ? "SELECT definition FROM feature_views WHERE project = @project AND name = @name ORDER BY version DESC LIMIT 1"
            : "SELECT definition FROM feature_views WHERE project = @project AND name = @name AND version = @version";
        var rows = await QueryAsync(connection, transaction, sql, r => ReadDefinition(r, 0), cancellationToken,
            ("project", project), ("name", name), ("version", version));
        return rows.FirstOrDefault();
    }

    public async Task<IReadOnlyList<FeatureViewDefinition>> ListFeatureViewsAsync(string project, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await QueryAsync(connection, null, """
            SELECT v.definition FROM feature_views v
            WHERE v.project = @project AND v.version = (SELECT MAX(l.version) FROM feature_views l WHERE l.project = v.project AND l.name = v.name)
            ORDER BY v.name
            """, r => ReadDefinition(r, 0), cancellationToken, ("project", project));
    }

    public async Task CreateJobAsync(MaterializationJob job, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await ExecuteAsync(connection, null, """
            INSERT INTO materialization_jobs (id, project, view, version, window_start, window_end, status, created_at)
            VALUES (@id, @project, @view, @version, @start, @end, @status, @created)
            """, cancellationToken,
            ("id", job.Id.ToString("D")), ("project", job.Project), ("view", job.View), ("version", job.Version),
            ("start", job.Window.Start.ToUniversalTime()), ("end", job.Window.End.ToUniversalTime()),
            ("status", StatusText(job.Status)), ("created", job.CreatedAt.ToUniversalTime()));
    }

    public async Task<MaterializationJob?> FindJobAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await QueryAsync(connection, null, """
            SELECT id, project, view, version, window_start, window_end, status, created_at, started_at, finished_at,
                   rows_read, rows_written, online_keys_written, duration_ms, error
            FROM materialization_jobs WHERE id = @id
            """, ReadJob, cancellationToken, ("id", id.ToString("D")));
        return rows.FirstOrDefault();
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

    public async Task CheckAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await ExecuteAsync(connection, null, "SELECT 1", cancellationToken);
    }

    private async Task<bool> TransitionAsync(string sql, CancellationToken cancellationToken, params (string, object?)[] parameters)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await ExecuteAsync(connection, null, sql, cancellationToken, parameters) > 0;
    }

    private static FeatureViewDefinition ReadDefinition(DbDataReader reader, int ordinal) =>
        JsonSerializer.Deserialize<FeatureViewDefinition>(reader.GetString(ordinal), DefinitionJson)
        ?? throw new InvalidDataException("empty feature view definition in the registry");

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

    private static string StatusText(JobStatus status) => status.ToString().ToLowerInvariant();

    private static async Task<int> ExecuteAsync(DbConnection connection, DbTransaction? transaction, string sql,
        CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using var command = Command(connection, transaction, sql, parameters);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<List<T>> QueryAsync<T>(DbConnection connection, DbTransaction? transaction, string sql,
        Func<DbDataReader, T> read, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using var command = Command(connection, transaction, sql, parameters);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new List<T>();
        while (await reader.ReadAsync(cancellationToken)) rows.Add(read(reader));
        return rows;
    }

    private static DbCommand Command(DbConnection connection, DbTransaction? transaction, string sql, (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
            if (sql.Contains('@' + name, StringComparison.Ordinal)) command.Parameters.Add(RegistrySchema.Parameter(command, name, value));
        return command;
    }
}
