using FeatureStore.Domain.Security;
using FeatureStore.Registry.Storage;

namespace FeatureStore.Registry.Infrastructure;

/// <summary>The registry's own audit records (and, in the standalone host, every module's) go straight into its store.</summary>
public sealed class StoreAuditSink(IAuditStore store) : IAuditSink
{
    public Task WriteAsync(IReadOnlyList<AuditRecord> records, CancellationToken cancellationToken) =>
        store.AppendAuditAsync(records, cancellationToken);
}
