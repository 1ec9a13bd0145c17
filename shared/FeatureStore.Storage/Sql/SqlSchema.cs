using System.Data.Common;
using static FeatureStore.Storage.Sql.SqlCommands;

namespace FeatureStore.Storage.Sql;

/// <summary>
/// The tables one service owns in a database: its migrations, applied in order, each once, recorded in a history table
/// of its own. Two schemas may share a database (their histories and locks never meet).
/// </summary>
public sealed record SqlSchema(string Name, string HistoryTable, long LockKey, IReadOnlyList<(int Version, string Sql)> Migrations)
{
    /// <summary>Applies every migration not yet applied, each in its own transaction, under the dialect's lock for this schema.</summary>
    public async Task MigrateAsync(SqlDatabase database, CancellationToken cancellationToken)
    {
        await using var connection = await database.DataSource.OpenConnectionAsync(cancellationToken);
        await ExecuteAsync(connection, null,
            $"CREATE TABLE IF NOT EXISTS {HistoryTable} (version INTEGER PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL)", cancellationToken);
        // One read at every start; only a migration not yet applied takes the lock (and is checked again under it).
        var applied = (await QueryAsync(connection, null, $"SELECT version FROM {HistoryTable}",
                r => Convert.ToInt32(r.GetValue(0)), cancellationToken))
            .ToHashSet();
        foreach (var (version, sql) in Migrations.Where(m => !applied.Contains(m.Version)))
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            if (database.Dialect.MigrationLock is { } lockSql)
                await ExecuteAsync(connection, transaction, lockSql, cancellationToken, ("key", LockKey));
            var meanwhile = await QueryAsync(connection, transaction, $"SELECT COUNT(*) FROM {HistoryTable} WHERE version = @version",
                r => Convert.ToInt64(r.GetValue(0)), cancellationToken, ("version", version));
            if (meanwhile[0] > 0) { await transaction.RollbackAsync(cancellationToken); continue; }
            await ExecuteAsync(connection, transaction, sql, cancellationToken);
            await ExecuteAsync(connection, transaction,
                $"INSERT INTO {HistoryTable} (version, applied_at) VALUES (@version, @at)", cancellationToken,
                ("version", version), ("at", DateTimeOffset.UtcNow));
            await transaction.CommitAsync(cancellationToken);
        }
    }
}
