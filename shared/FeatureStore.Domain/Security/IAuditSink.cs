namespace FeatureStore.Domain.Security;

/// <summary>Where a service's audit records go: the registry's store (in the registry, or in one process with it) or the bus
/// to the registry. A failure throws; the caller keeps the records and tries again.</summary>
public interface IAuditSink
{
    Task WriteAsync(IReadOnlyList<AuditRecord> records, CancellationToken cancellationToken);
}
