using System.Data.Common;
using System.Text.Json;
using FeatureStore.Domain;
using static FeatureStore.Storage.Sql.SqlCommands;

namespace FeatureStore.Registry.Storage;

/// <summary>Compactions of offline histories: recorded when asked for, committed (or failed) when the worker reports.</summary>
public sealed partial class SqlRegistryStore : IOfflineCompactionStore
{
    private const string CompactionColumns = """
        id, project, view, history, base_sequence, trigger_kind, inputs, rows_in, requested_at, status, finished_at, commit_sequence,
        files_out, error
        """;

    public async Task StartCompactionAsync(OfflineCompaction compaction, TimeSpan abandonAfter, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await LockProjectAsync(connection, transaction, compaction.Project, cancellationToken);
        await ExecuteAsync(connection, transaction, """
            UPDATE offline_compactions SET status = 'failed', finished_at = @now,
              error = 'abandoned: no worker reported it in time'
            WHERE project = @project AND view = @view AND history = @history AND status = 'running' AND requested_at < @before
            """, cancellationToken, ("project", compaction.Project), ("view", compaction.View), ("history", compaction.History),
            ("now", compaction.RequestedAt.ToUniversalTime()), ("before", (compaction.RequestedAt - abandonAfter).ToUniversalTime()));
        var running = await QueryAsync(connection, transaction, """
            SELECT id FROM offline_compactions
            WHERE project = @project AND view = @view AND history = @history AND status = 'running'
            """, r => Guid.Parse(r.GetString(0)), cancellationToken, ("project", compaction.Project), ("view", compaction.View),
            ("history", compaction.History));
        if (running.Count > 0) throw new CompactionRunningException(compaction.View, running[0]);
        await ExecuteAsync(connection, transaction, $"""
            INSERT INTO offline_compactions ({CompactionColumns})
            VALUES (@id, @project, @view, @history, @base, @trigger, @inputs, @rows, @at, 'running', NULL, NULL, NULL, NULL)
            """, cancellationToken, ("id", compaction.Id.ToString("D")), ("project", compaction.Project), ("view", compaction.View),
            ("history", compaction.History), ("base", compaction.Base), ("trigger", compaction.Trigger),
            ("inputs", JsonSerializer.Serialize(compaction.Inputs)), ("rows", compaction.RowsIn),
            ("at", compaction.RequestedAt.ToUniversalTime()));
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task<CompactionCommit> CommitCompactionAsync(Guid id, IReadOnlyList<OfflineFileRecord> files, DateTimeOffset at,
        CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (await FindCompactionAsync(connection, transaction, id, cancellationToken) is not { } found)
            return CompactionCommit.AlreadyFinished;
        await LockProjectAsync(connection, transaction, found.Project, cancellationToken);
        // Read again under the lock: a redelivered report may have committed it meanwhile.
        var compaction = await FindCompactionAsync(connection, transaction, id, cancellationToken);
        if (compaction is not { Status: CompactionStatus.Running }) return CompactionCommit.AlreadyFinished;
        long stillRead = 0;
        foreach (var chunk in compaction.Inputs.Chunk(NamesPerQuery))
            stillRead += (await QueryAsync(connection, transaction, $"""
                SELECT COUNT(*) FROM offline_files
                WHERE path IN ({InList("p", chunk.Length)}) AND commit_sequence IS NOT NULL AND superseded_by IS NULL
                """, r => Convert.ToInt64(r.GetValue(0)), cancellationToken, [.. Named("p", chunk)]))[0];
        if (stillRead != compaction.Inputs.Count)
        {
            await transaction.RollbackAsync(cancellationToken);
            await FailCompactionAsync(id, "its files were superseded by another compaction while it ran; nothing was committed", at,
                cancellationToken);
            return CompactionCommit.InputsChanged;
        }
        foreach (var file in files) await StageAsync(connection, transaction, file, cancellationToken);
        var sequence = await NextCommitAsync(connection, transaction, compaction.Project, compaction.View, compaction.History,
            cancellationToken);
        var rows = await MakeVisibleAsync(connection, transaction, id, sequence, cancellationToken);
        var span = files.Count == 0
            ? new TimeWindow(at, at)
            : new TimeWindow(files.Min(f => f.MinEventTime), files.Max(f => f.MaxEventTime));
        await InsertCommitAsync(connection, transaction, compaction.Project, compaction.View, compaction.History,
            new OfflineCommit(sequence, OfflineCommitKind.Compaction, id, span, at, rows, Base: compaction.Base), cancellationToken);
        foreach (var chunk in compaction.Inputs.Chunk(NamesPerQuery))
            await ExecuteAsync(connection, transaction,
                $"UPDATE offline_files SET superseded_by = @sequence WHERE path IN ({InList("p", chunk.Length)})", cancellationToken,
                [("sequence", sequence), .. Named("p", chunk)]);
        await ExecuteAsync(connection, transaction, """
            UPDATE offline_compactions SET status = 'succeeded', finished_at = @at, commit_sequence = @sequence, files_out = @files
            WHERE id = @id
            """, cancellationToken, ("id", id.ToString("D")), ("at", at.ToUniversalTime()), ("sequence", sequence),
            ("files", files.Count));
        await transaction.CommitAsync(cancellationToken);
        return CompactionCommit.Committed;
    }

    public async Task<bool> FailCompactionAsync(Guid id, string error, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await ExecuteAsync(connection, null, """
            UPDATE offline_compactions SET status = 'failed', finished_at = @at, error = @error WHERE id = @id AND status = 'running'
            """, cancellationToken, ("id", id.ToString("D")), ("at", at.ToUniversalTime()), ("error", error)) > 0;
    }

    public async Task<OfflineCompaction?> FindCompactionAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await FindCompactionAsync(connection, null, id, cancellationToken);
    }

    private static async Task<OfflineCompaction?> FindCompactionAsync(DbConnection connection, DbTransaction? transaction, Guid id,
        CancellationToken cancellationToken) =>
        (await QueryAsync(connection, transaction, $"SELECT {CompactionColumns} FROM offline_compactions WHERE id = @id",
            ReadCompaction, cancellationToken, ("id", id.ToString("D")))).SingleOrDefault();

    public async Task<IReadOnlyList<OfflineCompaction>> ListCompactionsAsync(string project, string view, int limit,
        CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await QueryAsync(connection, null, $"""
            SELECT {CompactionColumns} FROM offline_compactions WHERE project = @project AND view = @view
            ORDER BY requested_at DESC, id LIMIT @limit
            """, ReadCompaction, cancellationToken, ("project", project), ("view", view), ("limit", limit));
    }

    private static OfflineCompaction ReadCompaction(DbDataReader r) => new(Guid.Parse(r.GetString(0)), r.GetString(1), r.GetString(2),
        Convert.ToInt32(r.GetValue(3)), Convert.ToInt64(r.GetValue(4)), r.GetString(5),
        JsonSerializer.Deserialize<List<string>>(r.GetString(6)) ?? [], Convert.ToInt64(r.GetValue(7)),
        r.GetFieldValue<DateTimeOffset>(8), Enum.Parse<CompactionStatus>(r.GetString(9), ignoreCase: true),
        r.IsDBNull(10) ? null : r.GetFieldValue<DateTimeOffset>(10), r.IsDBNull(11) ? null : Convert.ToInt64(r.GetValue(11)),
        r.IsDBNull(12) ? null : Convert.ToInt32(r.GetValue(12)), r.IsDBNull(13) ? null : r.GetString(13));
}
