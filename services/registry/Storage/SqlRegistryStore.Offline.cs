using System.Data.Common;
using FeatureStore.Domain;
using static FeatureStore.Storage.Sql.SqlCommands;

namespace FeatureStore.Registry.Storage;

/// <summary>
/// The offline histories' catalog (readers use it, never a bucket listing): each history's commits, in order, with
/// the files each made visible (staged first, invisible), and the push sources' logs. Commits to one project are serialised by its lock, so
/// sequence numbers never repeat; which rows a commit replaces is <see cref="OfflineVisibility"/>'s rule, not the store's.
/// </summary>
public sealed partial class SqlRegistryStore
{
    private const string CommitColumns =
        "sequence, kind, id, range_start, range_end, committed_at, row_count, push_sequence, push_cut, base_sequence";

    private const string PushedFileColumns =
        "path, event_date, row_count, min_event_time, max_event_time, content_hash, size_bytes, sequence";

    /// <summary>Makes a job's staged files visible as the next commit of its history, replacing the job's window.</summary>
    private async Task CommitRunAsync(DbConnection connection, DbTransaction transaction, MaterializationJob job, DateTimeOffset at,
        CancellationToken cancellationToken)
    {
        await LockProjectAsync(connection, transaction, job.Project, cancellationToken);
        var sequence = await NextCommitAsync(connection, transaction, job.Project, job.View, job.HistoryVersion, cancellationToken);
        var rows = await MakeVisibleAsync(connection, transaction, job.Id, sequence, cancellationToken);
        await InsertCommitAsync(connection, transaction, job.Project, job.View, job.HistoryVersion,
            new OfflineCommit(sequence, OfflineCommitKind.Materialization, job.Id, job.Window, at, rows, PushCut: job.PushCut),
            cancellationToken);
    }

    public async Task CommitPushAsync(PushRecord push, CancellationToken cancellationToken)
    {
        var id = push.PushId.ToString("D");
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await LockProjectAsync(connection, transaction, push.Project, cancellationToken);
        var recorded = await QueryAsync(connection, transaction, "SELECT COUNT(*) FROM pushed_files WHERE push_id = @id",
            r => Convert.ToInt64(r.GetValue(0)), cancellationToken, ("id", id));
        if (recorded[0] > 0) return; // the same push again: all of it was recorded in one transaction

        var sequence = (await QueryAsync(connection, transaction,
            "SELECT COALESCE(MAX(sequence), 0) + 1 FROM pushed_files WHERE project = @project AND source = @source",
            r => Convert.ToInt64(r.GetValue(0)), cancellationToken, ("project", push.Project), ("source", push.Source)))[0];
        foreach (var file in push.LogFiles)
            await ExecuteAsync(connection, transaction, $"""
                INSERT INTO pushed_files ({PushedFileColumns}, project, source, push_id, pushed_at)
                VALUES (@path, @date, @rows, @min, @max, @hash, @size, @sequence, @project, @source, @id, @at)
                """, cancellationToken, ("path", file.Path), ("date", file.Date), ("rows", file.RowCount),
                ("min", file.MinEventTime.ToUniversalTime()),
                ("max", file.MaxEventTime.ToUniversalTime()), ("hash", file.ContentHash), ("size", file.SizeBytes), ("sequence", sequence),
                ("project", push.Project), ("source", push.Source), ("id", id), ("at", push.PushedAt.ToUniversalTime()));

        foreach (var table in push.ViewFiles.GroupBy(f => (f.View, f.History)))
        {
            foreach (var file in table) await StageAsync(connection, transaction, file, cancellationToken);
            var commit = await NextCommitAsync(connection, transaction, push.Project, table.Key.View, table.Key.History, cancellationToken);
            var rows = await MakeVisibleAsync(connection, transaction, push.PushId, commit, cancellationToken, table.Key.View);
            var range = new TimeWindow(table.Min(f => f.MinEventTime), table.Max(f => f.MaxEventTime));
            await InsertCommitAsync(connection, transaction, push.Project, table.Key.View, table.Key.History,
                new OfflineCommit(commit, OfflineCommitKind.Push, push.PushId, range, push.PushedAt, rows, PushSequence: sequence),
                cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task<IReadOnlyDictionary<string, DateTimeOffset>> NewestPushedEventTimesAsync(string project,
        CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return (await QueryAsync(connection, null,
            "SELECT source, MAX(max_event_time) FROM pushed_files WHERE project = @project GROUP BY source",
            r => (Source: r.GetString(0), Newest: r.GetFieldValue<DateTimeOffset>(1)), cancellationToken, ("project", project)))
            .ToDictionary(p => p.Source, p => p.Newest);
    }

    public async Task<long> LastPushSequenceAsync(string project, string source, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return (await QueryAsync(connection, null,
            "SELECT COALESCE(MAX(sequence), 0) FROM pushed_files WHERE project = @project AND source = @source",
            r => Convert.ToInt64(r.GetValue(0)), cancellationToken, ("project", project), ("source", source)))[0];
    }

    public async Task<IReadOnlyList<PushedFileRecord>> ListPushedFilesAsync(string project, string source, long upTo,
        CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await QueryAsync(connection, null, $"""
            SELECT {PushedFileColumns} FROM pushed_files WHERE project = @project AND source = @source AND sequence <= @upTo
            ORDER BY sequence, path
            """, r => new PushedFileRecord(r.GetString(0), r.GetString(1), Convert.ToInt64(r.GetValue(2)),
                r.GetFieldValue<DateTimeOffset>(3),
                r.GetFieldValue<DateTimeOffset>(4), r.GetString(5), Convert.ToInt64(r.GetValue(6)), Convert.ToInt64(r.GetValue(7))),
            cancellationToken, ("project", project), ("source", source), ("upTo", upTo));
    }

    public async Task<IReadOnlyList<OfflineCommit>> ListOfflineCommitsAsync(string project, string view, int history,
        CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await QueryAsync(connection, null, $"""
            SELECT {CommitColumns} FROM offline_commits WHERE project = @project AND view = @view AND history = @history ORDER BY sequence
            """, r => ReadCommit(r, 0), cancellationToken, ("project", project), ("view", view), ("history", history));
    }

    public async Task<IReadOnlyDictionary<(string View, int History), IReadOnlyList<OfflineCommit>>> ListOfflineCommitsAsync(string project,
        IReadOnlyCollection<string> views, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = new List<(string View, int History, OfflineCommit Commit)>();
        foreach (var chunk in views.Chunk(NamesPerQuery))
            rows.AddRange(await QueryAsync(connection, null, $"""
                SELECT view, history, {CommitColumns} FROM offline_commits
                WHERE project = @project AND view IN ({InList("v", chunk.Length)})
                ORDER BY view, history, sequence
                """, r => (r.GetString(0), Convert.ToInt32(r.GetValue(1)), ReadCommit(r, 2)), cancellationToken,
                [("project", project), .. Named("v", chunk)]));
        return rows.GroupBy(r => (r.View, r.History))
            .ToDictionary(g => g.Key, g => (IReadOnlyList<OfflineCommit>)g.Select(r => r.Commit).ToList());
    }

    private static OfflineCommit ReadCommit(DbDataReader r, int at) => new(Convert.ToInt64(r.GetValue(at)),
        Enum.Parse<OfflineCommitKind>(r.GetString(at + 1), ignoreCase: true), Guid.Parse(r.GetString(at + 2)),
        new TimeWindow(r.GetFieldValue<DateTimeOffset>(at + 3), r.GetFieldValue<DateTimeOffset>(at + 4)),
        r.IsDBNull(at + 5) ? default : r.GetFieldValue<DateTimeOffset>(at + 5), Convert.ToInt64(r.GetValue(at + 6)),
        r.IsDBNull(at + 7) ? null : Convert.ToInt64(r.GetValue(at + 7)), r.IsDBNull(at + 8) ? null : Convert.ToInt64(r.GetValue(at + 8)),
        r.IsDBNull(at + 9) ? null : Convert.ToInt64(r.GetValue(at + 9)));

    public async Task<IReadOnlyList<OfflineFileRecord>> ListOfflineFilesAsync(string project, string view, int? history, bool includeStaged,
        CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await QueryAsync(connection, null, $"""
            SELECT {FileColumns}, superseded_by FROM offline_files
            WHERE project = @project AND view = @view {(history is null ? "" : "AND version = @version")}
              {(includeStaged ? "" : "AND commit_sequence IS NOT NULL")}
            ORDER BY version, commit_sequence, event_date, path
            """, ReadFile, cancellationToken, ("project", project), ("view", view), ("version", history));
    }

    private async Task LockProjectAsync(DbConnection connection, DbTransaction transaction, string project,
        CancellationToken cancellationToken)
    {
        if (dialect.ProjectLock is { } projectLock)
            await ExecuteAsync(connection, transaction, projectLock, cancellationToken, ("project", project));
    }

    private static async Task<long> NextCommitAsync(DbConnection connection, DbTransaction transaction, string project, string view,
        int history,
        CancellationToken cancellationToken) =>
        (await QueryAsync(connection, transaction,
            "SELECT COALESCE(MAX(sequence), 0) + 1 FROM offline_commits WHERE project = @project AND view = @view AND history = @history",
            r => Convert.ToInt64(r.GetValue(0)), cancellationToken, ("project", project), ("view", view), ("history", history)))[0];

    /// <summary>Gives a job's (or push's) staged files their commit sequence; returns how many rows they hold.</summary>
    private static async Task<long> MakeVisibleAsync(DbConnection connection, DbTransaction transaction, Guid jobId, long sequence,
        CancellationToken cancellationToken, string? view = null)
    {
        var onlyView = view is null ? "" : " AND view = @view";
        await ExecuteAsync(connection, transaction,
            $"UPDATE offline_files SET commit_sequence = @sequence WHERE job_id = @id AND commit_sequence IS NULL{onlyView}",
            cancellationToken, ("id", jobId.ToString("D")), ("sequence", sequence), ("view", view));
        return (await QueryAsync(connection, transaction,
            $"SELECT COALESCE(SUM(row_count), 0) FROM offline_files WHERE job_id = @id AND commit_sequence = @sequence{onlyView}",
            r => Convert.ToInt64(r.GetValue(0)), cancellationToken, ("id", jobId.ToString("D")), ("sequence", sequence),
            ("view", view)))[0];
    }

    private static Task<int> InsertCommitAsync(DbConnection connection, DbTransaction transaction, string project, string view, int history,
        OfflineCommit commit, CancellationToken cancellationToken) =>
        ExecuteAsync(connection, transaction, $"""
            INSERT INTO offline_commits (project, view, history, {CommitColumns})
            VALUES (@project, @view, @history, @sequence, @kind, @id, @start, @end, @at, @rows, @pushSequence, @pushCut, @base)
            """, cancellationToken, ("project", project), ("view", view), ("history", history), ("sequence", commit.Sequence),
            ("kind", commit.Kind.ToString().ToLowerInvariant()), ("id", commit.Id.ToString("D")),
            ("start", commit.Range.Start.ToUniversalTime()), ("end", commit.Range.End.ToUniversalTime()),
            ("at", commit.CommittedAt.ToUniversalTime()),
            ("rows", commit.Rows), ("pushSequence", commit.PushSequence), ("pushCut", commit.PushCut), ("base", commit.Base));

    private const string FileColumns = """
        path, project, view, version, job_id, partition_index, event_date, row_count, min_event_time, max_event_time,
        content_hash, size_bytes, window_start, window_end, commit_sequence, event_ties
        """;

    /// <summary>Adds (or, when a retried run wrote it again, refreshes) a file of a job, still invisible.</summary>
    private static Task<int> StageAsync(DbConnection connection, DbTransaction transaction, OfflineFileRecord file,
        CancellationToken cancellationToken) =>
        ExecuteAsync(connection, transaction, $"""
            INSERT INTO offline_files ({FileColumns})
            VALUES (@path, @project, @view, @version, @job, @partition, @date, @rows, @min, @max, @hash, @size, @start, @end, NULL, @ties)
            ON CONFLICT (path) DO UPDATE SET row_count = excluded.row_count, min_event_time = excluded.min_event_time,
              max_event_time = excluded.max_event_time, content_hash = excluded.content_hash, size_bytes = excluded.size_bytes,
              event_ties = excluded.event_ties
            """, cancellationToken, ("path", file.Path), ("project", file.Project), ("view", file.View), ("version", file.History),
            ("job", file.JobId.ToString("D")), ("partition", file.Partition), ("date", file.Date), ("rows", file.RowCount),
            ("min", file.MinEventTime.ToUniversalTime()), ("max", file.MaxEventTime.ToUniversalTime()), ("hash", file.ContentHash),
            ("size", file.SizeBytes), ("start", file.WindowStart.ToUniversalTime()), ("end", file.WindowEnd.ToUniversalTime()),
            ("ties", file.EventTies));

    private static OfflineFileRecord ReadFile(DbDataReader r) => new(
        r.GetString(0), r.GetString(1), r.GetString(2), Convert.ToInt32(r.GetValue(3)), Guid.Parse(r.GetString(4)),
        Convert.ToInt32(r.GetValue(5)),
        r.GetString(6), Convert.ToInt64(r.GetValue(7)), r.GetFieldValue<DateTimeOffset>(8), r.GetFieldValue<DateTimeOffset>(9),
        r.GetString(10),
        Convert.ToInt64(r.GetValue(11)), r.GetFieldValue<DateTimeOffset>(12), r.GetFieldValue<DateTimeOffset>(13),
        r.IsDBNull(14) ? null : Convert.ToInt64(r.GetValue(14)), r.IsDBNull(16) ? null : Convert.ToInt64(r.GetValue(16)),
        r.IsDBNull(15) ? null : Convert.ToBoolean(r.GetValue(15)));
}
