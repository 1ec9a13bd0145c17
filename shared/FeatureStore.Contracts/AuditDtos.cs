using FeatureStore.Domain.Security;

namespace FeatureStore.Contracts;

/// <summary>A page of the audit log, newest first; <see cref="Next"/> is the <c>before</c> of the next page (null at the end).</summary>
public sealed record AuditPageDto(IReadOnlyList<AuditRecord> Records, long? Next);

/// <summary>The first record whose link in the chain is broken, and why.</summary>
public sealed record AuditBreakDto(long Sequence, string Reason);

/// <summary>The audit chain walked from its first record: intact, or where it first breaks.</summary>
public sealed record AuditVerificationDto(bool Intact, long Records, string Head, AuditBreakDto? FirstBroken);
