using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace FeatureStore.Domain.Security;

/// <summary>How an audited request ended: done, refused (401/403), or failed for another reason.</summary>
public static class AuditOutcome
{
    public const string Allowed = "allowed";
    public const string Refused = "refused";
    public const string Failed = "failed";

    public static readonly IReadOnlyList<string> All = [Allowed, Refused, Failed];

    public static string Of(int status) => status switch
    {
        < 400 => Allowed,
        401 or 403 => Refused,
        _ => Failed,
    };
}

/// <summary>
/// One entry of the audit log: who (a key id, a token's subject, <c>anonymous</c>), when, from where, what (the action and
/// the operation), on which objects and features (and how many entity rows), how it ended, and the trace that finds the
/// request everywhere. A service makes it; the registry gives it its place (<see cref="Sequence"/>) and its link in the
/// chain (<see cref="PreviousHash"/>, <see cref="Hash"/>, <see cref="AuditChain"/>). Never a secret: a refused credential is
/// named by its key id only.
/// </summary>
public sealed record AuditRecord(
    DateTimeOffset At,
    string Principal,
    string PrincipalKind,
    string? Client,
    string Service,
    string Action,
    string Operation,
    string? Project,
    IReadOnlyList<string> Objects,
    IReadOnlyList<string> Features,
    long? EntityRows,
    string Outcome,
    int Status,
    string? TraceId,
    string? Detail)
{
    public long Sequence { get; init; }
    public string PreviousHash { get; init; } = "";
    public string Hash { get; init; } = "";
}

/// <summary>
/// The audit log's tamper evidence, the one rule: each record's hash is SHA-256 over the previous record's hash and the
/// record's own fields in a fixed order (its time to the microsecond, as the database keeps it), so changing, removing or
/// reordering any record breaks every link after it.
/// </summary>
public static class AuditChain
{
    /// <summary>The hash before the first record.</summary>
    public static readonly string Genesis = new('0', 64);

    public static string HashOf(string previousHash, AuditRecord record)
    {
        var fields = JsonSerializer.SerializeToUtf8Bytes(new object?[]
        {
            record.Sequence, record.At.UtcTicks / 10, record.Principal, record.PrincipalKind, record.Client, record.Service,
            record.Action, record.Operation, record.Project, record.Objects, record.Features, record.EntityRows, record.Outcome,
            record.Status, record.TraceId, record.Detail,
        });
        var text = new byte[previousHash.Length + 1 + fields.Length];
        Encoding.ASCII.GetBytes(previousHash, text);
        text[previousHash.Length] = (byte)'\n';
        fields.CopyTo(text, previousHash.Length + 1);
        return Convert.ToHexStringLower(SHA256.HashData(text));
    }

    /// <summary>The record linked after <paramref name="previousHash"/> at <paramref name="sequence"/>; its time is cut to the
    /// microsecond first, so what is hashed is what is stored.</summary>
    public static AuditRecord Link(AuditRecord record, long sequence, string previousHash)
    {
        var placed = record with
        {
            At = new DateTimeOffset(record.At.UtcTicks - record.At.UtcTicks % 10, TimeSpan.Zero),
            Sequence = sequence,
            PreviousHash = previousHash,
        };
        return placed with { Hash = HashOf(previousHash, placed) };
    }

    /// <summary>Why <paramref name="record"/> does not follow <paramref name="previousHash"/>; null when it does.</summary>
    public static string? Break(string previousHash, AuditRecord record) =>
        record.PreviousHash != previousHash ? "its previous hash is not the hash of the record before it"
        : HashOf(previousHash, record) != record.Hash ? "its content does not match its hash" : null;
}
