using FeatureStore.Domain.Security;

namespace FeatureStore.Registry.Storage;

/// <summary>What to find in the audit log: every filter optional; newest first, before <see cref="Before"/> (a sequence).</summary>
public sealed record AuditQuery(string? Principal, string? Action, string? Object, string? Project, string? Outcome,
    DateTimeOffset? Start, DateTimeOffset? End, long? Before, int Limit);

/// <summary>The audit log: appended to in order (each record linked to the chain), never changed.</summary>
public interface IAuditStore
{
    /// <summary>Links the records after the chain's end, in order, and stores them in one transaction.</summary>
    Task AppendAuditAsync(IReadOnlyList<AuditRecord> records, CancellationToken cancellationToken);

    Task<IReadOnlyList<AuditRecord>> FindAuditAsync(AuditQuery query, CancellationToken cancellationToken);

    /// <summary>The chain's end as appends left it: the last sequence and its hash.</summary>
    Task<(long Sequence, string Hash)> AuditHeadAsync(CancellationToken cancellationToken);

    /// <summary>Records after <paramref name="after"/> in chain order, at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<AuditRecord>> ReadAuditAsync(long after, int limit, CancellationToken cancellationToken);
}
