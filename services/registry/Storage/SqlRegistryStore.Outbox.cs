using System.Data.Common;
using FeatureStore.Domain;
using static FeatureStore.Storage.Sql.SqlCommands;

namespace FeatureStore.Registry.Storage;

/// <summary>The transactional outbox: messages written in the commit that caused them, marked once sent.</summary>
public sealed partial class SqlRegistryStore
{
    public async Task<IReadOnlyList<OutboxMessage>> PendingMessagesAsync(int limit, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await QueryAsync(connection, null,
            "SELECT id, message_type, payload, created_at FROM registry_outbox WHERE sent_at IS NULL ORDER BY created_at, id LIMIT @limit",
            r => new OutboxMessage(Guid.Parse(r.GetString(0)), r.GetString(1), r.GetString(2), r.GetFieldValue<DateTimeOffset>(3)),
            cancellationToken, ("limit", limit));
    }

    public async Task MarkSentAsync(IReadOnlyCollection<Guid> ids, DateTimeOffset sentAt, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        foreach (var id in ids)
            await ExecuteAsync(connection, null, "UPDATE registry_outbox SET sent_at = @sent WHERE id = @id AND sent_at IS NULL",
                cancellationToken, ("id", id.ToString("D")), ("sent", sentAt.ToUniversalTime()));
    }
}
