using FeatureStore.Domain.Security;

namespace FeatureStore.Contracts;

/// <summary><c>POST /api/v1/admin/keys</c>: a new API key for a person or a program.</summary>
public sealed class CreateApiKeyRequest
{
    public string? Name { get; set; }
    /// <summary>Who answers for the key (a person, a team, a program's owner).</summary>
    public string? Owner { get; set; }
    /// <summary>The projects it may act in; <c>*</c> for all.</summary>
    public List<string>? Projects { get; set; }
    /// <summary>Built-in roles (<c>admin</c>, <c>writer</c>, <c>reader</c>) and any a repository's permissions name.</summary>
    public List<string>? Roles { get; set; }
    public DateTimeOffset? ExpiresAt { get; set; }
    /// <summary>The key's own rate limit; absent: the deployment's (<c>FeatureStore:Auth:RateLimit</c>).</summary>
    public int? RequestsPerSecond { get; set; }
}

/// <summary>A key as listed: everything but its secret, which nobody can read back.</summary>
public sealed record ApiKeyDto(string Id, string Name, string Owner, IReadOnlyList<string> Projects, IReadOnlyList<string> Roles,
    DateTimeOffset CreatedAt, DateTimeOffset? ExpiresAt, DateTimeOffset? LastUsedAt, DateTimeOffset? RevokedAt, int? RequestsPerSecond)
{
    public static ApiKeyDto From(ApiKey key) => new(key.Id, key.Name, key.Owner, key.Projects, key.Roles, key.CreatedAt, key.ExpiresAt,
        key.LastUsedAt, key.RevokedAt, key.RequestsPerSecond);

    /// <summary>The key as a service caches it after the registry verified its secret (the hash stays in the registry).</summary>
    public ApiKey ToKey() =>
        new(Id, Name, Owner, Projects, Roles, SecretHash: "", CreatedAt, ExpiresAt, LastUsedAt, RevokedAt, RequestsPerSecond);
}

/// <summary>The answer to a key's creation: its record and its text, shown this once.</summary>
public sealed record CreatedApiKeyDto(ApiKeyDto Key, string Secret);

/// <summary><c>POST /api/v1/admin/keys/verify</c> (services only): what a key's text proves.</summary>
public sealed class VerifyApiKeyRequest
{
    public string? Key { get; set; }
}
