using System.Text;
using FeatureStore.Domain;
using Microsoft.Data.Sqlite;

namespace FeatureStore.Storage.Online;

/// <summary>
/// Online store in one SQLite file, for the standalone host. Same payload as Redis; the upsert keeps
/// the newer payload by comparing the sortable time prefix, exactly like the Redis script.
/// </summary>
public sealed class SqliteOnlineStore : IOnlineStore
{
    private readonly string _connectionString;

    public SqliteOnlineStore(string databasePath)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(databasePath))!);
        _connectionString = new SqliteConnectionStringBuilder { DataSource = databasePath, Pooling = true, DefaultTimeout = 30 }.ToString();
        using var connection = Open();
        using var create = connection.CreateCommand();
        create.CommandText = """
            PRAGMA journal_mode = WAL;
            CREATE TABLE IF NOT EXISTS online_features (
              project TEXT NOT NULL, entity_key TEXT NOT NULL, view TEXT NOT NULL, payload BLOB NOT NULL, expires_at INTEGER,
              PRIMARY KEY (project, entity_key, view)) WITHOUT ROWID;
            CREATE TABLE IF NOT EXISTS online_markers (project TEXT PRIMARY KEY, since INTEGER NOT NULL) WITHOUT ROWID;
            """;
        create.ExecuteNonQuery();
        // Files made before values expired lack the column; add it (null: never expires).
        using var columns = connection.CreateCommand();
        columns.CommandText = "SELECT COUNT(*) FROM pragma_table_info('online_features') WHERE name = 'expires_at'";
        if (Convert.ToInt64(columns.ExecuteScalar()) == 0)
        {
            using var alter = connection.CreateCommand();
            alter.CommandText = "ALTER TABLE online_features ADD COLUMN expires_at INTEGER";
            alter.ExecuteNonQuery();
        }
    }

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        return connection;
    }

    public async Task<long> WriteAsync(string project, string view, IReadOnlyList<EncodedRow> rows, CancellationToken cancellationToken)
    {
        await using var connection = Open();
        await using var transaction = connection.BeginTransaction();
        await using var upsert = connection.CreateCommand();
        upsert.CommandText = $"""
            INSERT INTO online_features (project, entity_key, view, payload, expires_at) VALUES ($project, $key, $view, $payload, $expires)
            ON CONFLICT (project, entity_key, view) DO UPDATE SET payload = excluded.payload, expires_at = excluded.expires_at
            WHERE substr(excluded.payload, 1, {OnlinePayload.TimePrefixLength})
                >= substr(online_features.payload, 1, {OnlinePayload.TimePrefixLength})
            """;
        var key = upsert.Parameters.Add("$key", SqliteType.Text);
        var payload = upsert.Parameters.Add("$payload", SqliteType.Blob);
        var expires = upsert.Parameters.Add("$expires", SqliteType.Integer);
        upsert.Parameters.AddWithValue("$project", project);
        upsert.Parameters.AddWithValue("$view", view);
        long written = 0;
        foreach (var row in rows)
        {
            key.Value = row.Key.Text;
            payload.Value = row.Payload;
            expires.Value = row.ExpiresAt is { } at ? at.ToUnixTimeMilliseconds() : DBNull.Value;
            written += await upsert.ExecuteNonQueryAsync(cancellationToken);
        }
        await using var mark = connection.CreateCommand();
        mark.CommandText = "INSERT INTO online_markers (project, since) VALUES ($project, $now) ON CONFLICT (project) DO NOTHING";
        mark.Parameters.AddWithValue("$project", project);
        mark.Parameters.AddWithValue("$now", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        await mark.ExecuteNonQueryAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return written;
    }

    public async Task<DateTimeOffset?> MarkedSinceAsync(string project, CancellationToken cancellationToken)
    {
        await using var connection = Open();
        await using var select = connection.CreateCommand();
        select.CommandText = "SELECT since FROM online_markers WHERE project = $project";
        select.Parameters.AddWithValue("$project", project);
        return await select.ExecuteScalarAsync(cancellationToken) is long since ? DateTimeOffset.FromUnixTimeMilliseconds(since) : null;
    }

    public async Task<long> RetractAsync(string project, string view, IReadOnlyList<Retraction> rows, CancellationToken cancellationToken)
    {
        await using var connection = Open();
        await using var transaction = connection.BeginTransaction();
        await using var replace = connection.CreateCommand();
        await using var remove = connection.CreateCommand();
        const string Match = "project = $project AND entity_key = $key AND view = $view AND substr(payload, 1, $length) = $expected";
        replace.CommandText = $"UPDATE online_features SET payload = $payload, expires_at = $expires WHERE {Match}";
        remove.CommandText = $"DELETE FROM online_features WHERE {Match}";
        long done = 0;
        foreach (var row in rows)
        {
            var command = row.Replacement is null ? remove : replace;
            command.Parameters.Clear();
            command.Parameters.AddWithValue("$project", project);
            command.Parameters.AddWithValue("$view", view);
            command.Parameters.AddWithValue("$key", row.Key.Text);
            command.Parameters.AddWithValue("$length", OnlinePayload.TimePrefixLength);
            command.Parameters.AddWithValue("$expected", Encoding.ASCII.GetBytes(row.Expected.ToSortableText()));
            if (row.Replacement is { } payload)
            {
                command.Parameters.AddWithValue("$payload", payload);
                command.Parameters.AddWithValue("$expires", row.ExpiresAt is { } at ? at.ToUnixTimeMilliseconds() : DBNull.Value);
            }
            done += await command.ExecuteNonQueryAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        return done;
    }

    public async Task<OnlineEntry?[]> ReadAsync(string project, IReadOnlyList<EntityKey> keys, IReadOnlyList<string> views,
        CancellationToken cancellationToken)
    {
        var entries = new OnlineEntry?[keys.Count * views.Count];
        if (entries.Length == 0) return entries;
        await using var connection = Open();
        await using var select = connection.CreateCommand();
        var sql = new StringBuilder("SELECT entity_key, view, payload FROM online_features WHERE project = $project " +
            "AND (expires_at IS NULL OR expires_at > $now) AND entity_key IN (");
        var keyIndex = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        for (var k = 0; k < keys.Count; k++)
        {
            if (!keyIndex.TryGetValue(keys[k].Text, out var positions))
            {
                keyIndex[keys[k].Text] = positions = [];
                sql.Append(keyIndex.Count == 1 ? "" : ",").Append("$k").Append(k);
                select.Parameters.AddWithValue($"$k{k}", keys[k].Text);
            }
            positions.Add(k);
        }
        sql.Append(") AND view IN (");
        for (var v = 0; v < views.Count; v++)
        {
            sql.Append(v == 0 ? "" : ",").Append("$v").Append(v);
            select.Parameters.AddWithValue($"$v{v}", views[v]);
        }
        select.CommandText = sql.Append(')').ToString();
        select.Parameters.AddWithValue("$project", project);
        select.Parameters.AddWithValue("$now", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        await using var reader = await select.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var entry = OnlinePayload.Decode((byte[])reader.GetValue(2));
            var view = reader.GetString(1);
            foreach (var k in keyIndex[reader.GetString(0)])
                for (var v = 0; v < views.Count; v++)
                    if (views[v] == view) entries[k * views.Count + v] = entry;
        }
        return entries;
    }
}
