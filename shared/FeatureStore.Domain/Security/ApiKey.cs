namespace FeatureStore.Domain.Security;

/// <summary>
/// An API key as the registry keeps it: who it is for (<see cref="Owner"/>), which projects it may touch (<c>*</c>: all),
/// the roles it holds, and its life (created, optional expiry, last use, revocation). The secret itself is never kept,
/// only its hash (<see cref="ApiKeySecret"/>). <see cref="RequestsPerSecond"/> is its own rate limit (none: the deployment's).
/// </summary>
public sealed record ApiKey(
    string Id, string Name, string Owner, IReadOnlyList<string> Projects, IReadOnlyList<string> Roles, string SecretHash,
    DateTimeOffset CreatedAt, DateTimeOffset? ExpiresAt = null, DateTimeOffset? LastUsedAt = null, DateTimeOffset? RevokedAt = null,
    int? RequestsPerSecond = null)
{
    public const string AllProjects = "*";

    /// <summary>Usable now: not revoked, not expired.</summary>
    public bool IsActiveAt(DateTimeOffset now) => RevokedAt is null && (ExpiresAt is null || ExpiresAt > now);

    public bool Covers(string project) => Projects.Contains(AllProjects) || Projects.Contains(project);
}
