using FeatureStore.Contracts;
using FeatureStore.Registry.Storage;
using MassTransit;

namespace FeatureStore.Registry.Consumers;

/// <summary>Appends the audit records another service made to the log, in the order it made them. While the database is down
/// the message is retried and then kept in its error queue, never dropped.</summary>
public sealed class AuditRecordsConsumer(IAuditStore store) : IConsumer<AuditRecordsWritten>
{
    public Task Consume(ConsumeContext<AuditRecordsWritten> context) =>
        store.AppendAuditAsync(context.Message.Records, context.CancellationToken);
}
