using FeatureStore.Contracts;
using FeatureStore.Domain.Security;
using MassTransit;

namespace FeatureStore.Messaging;

/// <summary>A service's audit records, published to the registry (which appends them to the log) as one message per batch;
/// RabbitMQ keeps them while the registry is away.</summary>
public sealed class BusAuditSink(IBus bus) : IAuditSink
{
    public Task WriteAsync(IReadOnlyList<AuditRecord> records, CancellationToken cancellationToken) =>
        bus.Publish(new AuditRecordsWritten(records), cancellationToken);
}
