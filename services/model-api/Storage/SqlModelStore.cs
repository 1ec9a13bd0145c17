using System.Data.Common;
using FeatureStore.Domain;
using FeatureStore.Storage.Sql;
using static FeatureStore.Storage.Sql.SqlCommands;

namespace FeatureStore.ModelApi.Storage;

/// <summary>The model store on model-api's own tables (PostgreSQL or SQLite), one SQL path for both; schema in
/// <see cref="ModelSchema"/>.</summary>
public sealed class SqlModelStore(DbDataSource dataSource, SqlDialect dialect) : IModelStore
{
    public SqlModelStore(SqlDatabase database) : this(database.DataSource, database.Dialect) { }

    private const string JobColumns = "id, model, status, request, created_at, started_at, finished_at, error, version";
    private const string VersionColumns = "model, version, created_at, training_job, artifact, details";

    // One open job per model, as one per view for materializations: a unique index over open jobs decides, not a lock and a read.
    public async Task<TrainingJob?> TryStartJobAsync(TrainingJob job, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await ExecuteAsync(connection, null, $"""
                    INSERT INTO training_jobs ({JobColumns}) VALUES (@id, @model, @status, @request, @created, NULL, NULL, NULL, NULL)
                    """, cancellationToken, ("id", job.Id.ToString("D")), ("model", job.Model), ("status", Name(job.Status)),
                    ("request", job.Request),
                    ("created", job.CreatedAt.ToUniversalTime()));
                return null;
            }
            catch (Exception e) when (dialect.IsUniqueViolation(e) && attempt < 3)
            {
                var active = await QueryAsync(connection, null,
                    $"SELECT {JobColumns} FROM training_jobs WHERE model = @model AND status IN {JobStatuses.OpenSql} " +
                        "ORDER BY created_at LIMIT 1",
                    ReadJob, cancellationToken, ("model", job.Model));
                if (active.Count > 0) return active[0];
                // The open job ended between the insert and the read: try again.
            }
        }
    }

    public async Task UpdateJobAsync(TrainingJob job, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await ExecuteAsync(connection, null, """
            UPDATE training_jobs SET status = @status, started_at = @started, finished_at = @finished, error = @error, version = @version
                WHERE id = @id
            """, cancellationToken, ("id", job.Id.ToString("D")), ("status", Name(job.Status)),
            ("started", job.StartedAt?.ToUniversalTime()),
            ("finished", job.FinishedAt?.ToUniversalTime()), ("error", job.Error), ("version", job.Version));
    }

    public async Task<int> AbandonActiveJobsAsync(string model, string reason, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await ExecuteAsync(connection, null, $"""
            UPDATE training_jobs SET status = 'failed', error = @error, finished_at = @at
                WHERE model = @model AND status IN {JobStatuses.OpenSql}
            """, cancellationToken, ("model", model), ("error", reason), ("at", at.ToUniversalTime()));
    }

    public async Task<TrainingJob?> FindJobAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return (await QueryAsync(connection, null, $"SELECT {JobColumns} FROM training_jobs WHERE id = @id", ReadJob, cancellationToken,
            ("id", id.ToString("D")))).FirstOrDefault();
    }

    public async Task<int> NextVersionAsync(string model, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var max = await QueryAsync(connection, null, "SELECT COALESCE(MAX(version), 0) FROM model_versions WHERE model = @model",
            r => Convert.ToInt32(r.GetValue(0)), cancellationToken, ("model", model));
        return max[0] + 1;
    }

    public async Task AddVersionAsync(ModelVersion version, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await ExecuteAsync(connection, null,
            $"INSERT INTO model_versions ({VersionColumns}) VALUES (@model, @version, @created, @job, @artifact, @details)",
            cancellationToken, ("model", version.Model), ("version", version.Version), ("created", version.CreatedAt.ToUniversalTime()),
            ("job", version.TrainingJob.ToString("D")), ("artifact", version.Artifact), ("details", version.Details));
    }

    public async Task<IReadOnlyList<ModelVersion>> ListVersionsAsync(string model, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await QueryAsync(connection, null, $"SELECT {VersionColumns} FROM model_versions WHERE model = @model ORDER BY version",
            ReadVersion, cancellationToken, ("model", model));
    }

    public async Task<ModelVersion?> FindVersionAsync(string model, int version, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return (await QueryAsync(connection, null,
            $"SELECT {VersionColumns} FROM model_versions WHERE model = @model AND version = @version",
            ReadVersion, cancellationToken, ("model", model), ("version", version))).FirstOrDefault();
    }

    public async Task PromoteAsync(string model, int version, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await ExecuteAsync(connection, null, """
            INSERT INTO model_promotions (model, version, promoted_at) VALUES (@model, @version, @at)
            ON CONFLICT (model) DO UPDATE SET version = excluded.version, promoted_at = excluded.promoted_at
            """, cancellationToken, ("model", model), ("version", version), ("at", at.ToUniversalTime()));
    }

    public async Task<int?> PromotedAsync(string model, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await QueryAsync(connection, null, "SELECT version FROM model_promotions WHERE model = @model",
            r => Convert.ToInt32(r.GetValue(0)), cancellationToken, ("model", model));
        return rows.Count > 0 ? rows[0] : null;
    }

    private static string Name(TrainingStatus status) => status.ToString().ToLowerInvariant();

    private static TrainingJob ReadJob(DbDataReader r) => new(
        Guid.Parse(r.GetString(0)), r.GetString(1), Enum.Parse<TrainingStatus>(r.GetString(2), ignoreCase: true), r.GetString(3),
        r.GetFieldValue<DateTimeOffset>(4), r.IsDBNull(5) ? null : r.GetFieldValue<DateTimeOffset>(5),
        r.IsDBNull(6) ? null : r.GetFieldValue<DateTimeOffset>(6), r.IsDBNull(7) ? null : r.GetString(7),
        r.IsDBNull(8) ? null : Convert.ToInt32(r.GetValue(8)));

    private static ModelVersion ReadVersion(DbDataReader r) => new(
        r.GetString(0), Convert.ToInt32(r.GetValue(1)), r.GetFieldValue<DateTimeOffset>(2),
        Guid.Parse(r.GetString(3)), r.GetString(4), r.GetString(5));
}
