namespace FeatureStore.Registry.Storage;

/// <summary>A message to publish once the change is committed (transactional outbox).</summary>
public sealed record OutboxMessage(Guid Id, string MessageType, string Payload, DateTimeOffset CreatedAt);

/// <summary>The registry's events waiting to be published: written in the commit that caused them, sent after it.</summary>
public interface IOutboxStore
{
    Task<IReadOnlyList<OutboxMessage>> PendingMessagesAsync(int limit, CancellationToken cancellationToken);

    Task MarkSentAsync(IReadOnlyCollection<Guid> ids, DateTimeOffset sentAt, CancellationToken cancellationToken);
}
