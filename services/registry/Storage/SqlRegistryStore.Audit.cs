using System.Data.Common;
using System.Text.Json;
using FeatureStore.Domain.Security;
using static FeatureStore.Storage.Sql.SqlCommands;

namespace FeatureStore.Registry.Storage;

/// <summary>The audit log and its chain's end.</summary>
public sealed partial class SqlRegistryStore
{
    private const string AuditColumns = "sequence, at, principal, principal_kind, client, service, action, operation, project, " +
        "objects, features, entity_rows, outcome, status, trace_id, detail, previous_hash, hash";

    public async Task AppendAuditAsync(IReadOnlyList<AuditRecord> records, CancellationToken cancellationToken)
    {
        if (records.Count == 0) return;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // Writing the head first takes its lock (a row lock in PostgreSQL, the write lock in SQLite) before it is read.
        await ExecuteAsync(connection, transaction, "UPDATE audit_head SET sequence = sequence WHERE id = 1", cancellationToken);
        var (sequence, hash) = await HeadAsync(connection, transaction, cancellationToken);
        var linked = new List<AuditRecord>(records.Count);
        foreach (var record in records)
        {
            linked.Add(AuditChain.Link(record, ++sequence, hash));
            hash = linked[^1].Hash;
        }
        foreach (var rows in linked.Chunk(AuditRowsPerInsert))
        {
            var (values, parameters) = ManyRows(AuditParameters, rows.Select(AuditRowValues).ToList());
            await ExecuteAsync(connection, transaction, $"INSERT INTO audit_log ({AuditColumns}) VALUES {values}", cancellationToken,
                parameters);
        }
        await ExecuteAsync(connection, transaction, "UPDATE audit_head SET sequence = @sequence, hash = @hash WHERE id = 1",
            cancellationToken, ("sequence", sequence), ("hash", hash));
        await transaction.CommitAsync(cancellationToken);
    }

    private const int AuditRowsPerInsert = 50;

    private static readonly string[] AuditParameters =
        ["sequence", "at", "principal", "kind", "client", "service", "action", "operation", "project", "objects", "features", "rows",
         "outcome", "status", "trace", "detail", "previous", "hash"];

    /// <summary>A record's values in <see cref="AuditParameters"/>' order.</summary>
    private static object?[] AuditRowValues(AuditRecord r) =>
    [
        r.Sequence, r.At, r.Principal, r.PrincipalKind, r.Client, r.Service, r.Action, r.Operation, r.Project,
        JsonSerializer.Serialize(r.Objects), JsonSerializer.Serialize(r.Features), r.EntityRows, r.Outcome, r.Status, r.TraceId,
        r.Detail, r.PreviousHash, r.Hash,
    ];

    public async Task<(long Sequence, string Hash)> AuditHeadAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await HeadAsync(connection, null, cancellationToken);
    }

    private static async Task<(long Sequence, string Hash)> HeadAsync(DbConnection connection, DbTransaction? transaction,
        CancellationToken cancellationToken) =>
        (await QueryAsync(connection, transaction, "SELECT sequence, hash FROM audit_head WHERE id = 1",
            r => (Convert.ToInt64(r.GetValue(0), System.Globalization.CultureInfo.InvariantCulture), r.GetString(1)),
            cancellationToken))[0];

    public async Task<IReadOnlyList<AuditRecord>> FindAuditAsync(AuditQuery query, CancellationToken cancellationToken)
    {
        var where = new List<string>();
        if (query.Principal is not null) where.Add("principal = @principal");
        if (query.Action is not null) where.Add("action = @action");
        if (query.Project is not null) where.Add("project = @project");
        if (query.Outcome is not null) where.Add("outcome = @outcome");
        if (query.Start is not null) where.Add("at >= @start");
        if (query.End is not null) where.Add("at < @end");
        if (query.Before is not null) where.Add("sequence < @before");
        // An object or feature is found by its name anywhere in either list (JSON text: the quoted name, or name=value).
        if (query.Object is not null) where.Add("(objects LIKE @object ESCAPE '\\' OR features LIKE @object ESCAPE '\\')");
        var like = query.Object is null ? null : $"%{query.Object.Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_")}%";
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await QueryAsync(connection, null, $"""
            SELECT {AuditColumns} FROM audit_log
            {(where.Count > 0 ? "WHERE " + string.Join(" AND ", where) : "")}
            ORDER BY sequence DESC LIMIT @limit
            """, ReadAudit, cancellationToken, ("principal", query.Principal), ("action", query.Action), ("project", query.Project),
            ("outcome", query.Outcome), ("start", query.Start?.ToUniversalTime()), ("end", query.End?.ToUniversalTime()),
            ("before", query.Before), ("object", like), ("limit", query.Limit));
    }

    public async Task<IReadOnlyList<AuditRecord>> ReadAuditAsync(long after, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await QueryAsync(connection, null,
            $"SELECT {AuditColumns} FROM audit_log WHERE sequence > @after ORDER BY sequence LIMIT @limit", ReadAudit,
            cancellationToken, ("after", after), ("limit", limit));
    }

    private static AuditRecord ReadAudit(DbDataReader r) => new(
        r.GetFieldValue<DateTimeOffset>(1), r.GetString(2), r.GetString(3), Text(r, 4), r.GetString(5), r.GetString(6),
        r.GetString(7), Text(r, 8), JsonSerializer.Deserialize<List<string>>(r.GetString(9))!,
        JsonSerializer.Deserialize<List<string>>(r.GetString(10))!,
        r.IsDBNull(11) ? null : Convert.ToInt64(r.GetValue(11), System.Globalization.CultureInfo.InvariantCulture),
        r.GetString(12), Convert.ToInt32(r.GetValue(13), System.Globalization.CultureInfo.InvariantCulture), Text(r, 14), Text(r, 15))
    {
        Sequence = Convert.ToInt64(r.GetValue(0), System.Globalization.CultureInfo.InvariantCulture),
        PreviousHash = r.GetString(16),
        Hash = r.GetString(17),
    };

    private static string? Text(DbDataReader r, int column) => r.IsDBNull(column) ? null : r.GetString(column);
}
