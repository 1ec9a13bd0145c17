using System.Collections.Concurrent;
using FeatureStore.Domain.Security;
using Microsoft.Extensions.Options;

namespace FeatureStore.Api.Security;

/// <summary>What a key's text is worth now: the principal it proves, or why it proves none, or that nobody can tell now.</summary>
public abstract record KeyVerdict
{
    public sealed record Accepted(Principal Principal) : KeyVerdict;
    public sealed record Refused(string Reason) : KeyVerdict;
    public sealed record Unavailable(FieldError Dependency) : KeyVerdict;
}

/// <summary>
/// Verifies API keys through an <see cref="IApiKeySource"/> and remembers the answers (by the text's hash, never the text) for
/// <see cref="AuthOptions.KeyCacheTime"/>, so a read costs a hash and a lookup, not a call to the registry. A revocation event
/// drops the key at once; expiry is checked at every use. While the source is unavailable a key it accepted before stays
/// accepted for <see cref="AuthOptions.KeyGraceWhileRegistryDown"/>.
/// </summary>
public sealed class ApiKeyCache(IApiKeySource source, IOptions<AuthOptions> options, TimeProvider clock) : IApiKeyRevocations
{
    private const int MaxEntries = 10_000;

    private sealed record Entry(ApiKey? Key, string? Refusal, DateTimeOffset CheckedAt)
    {
        public Principal? Principal { get; } = Key is null ? null : Principal.Of(Key);
    }

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    /// <param name="hash">The text's <see cref="ApiKeySecret.Hash"/>, made once by the caller.</param>
    public async ValueTask<KeyVerdict> VerifyAsync(string text, string hash, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        _entries.TryGetValue(hash, out var known);
        if (known is null || now - known.CheckedAt >= options.Value.KeyCacheTime)
        {
            try
            {
                var key = await source.FindAsync(text, cancellationToken);
                known = new Entry(key, key is null ? "is not an API key this deployment knows" : null, now);
                if (_entries.Count >= MaxEntries) _entries.Clear();
                _entries[hash] = known;
            }
            catch (DependencyUnavailableException outage)
            {
                if (known?.Key is null || now - known.CheckedAt >= options.Value.KeyGraceWhileRegistryDown)
                    return new KeyVerdict.Unavailable(outage.Errors[0]);
            }
        }
        if (known.Key is not { } found) return new KeyVerdict.Refused(known.Refusal!);
        if (found.RevokedAt is not null) return new KeyVerdict.Refused($"was revoked at {found.RevokedAt:O}");
        if (!found.IsActiveAt(now)) return new KeyVerdict.Refused($"expired at {found.ExpiresAt:O}");
        return new KeyVerdict.Accepted(known.Principal!);
    }

    public void Revoked(string keyId)
    {
        foreach (var (hash, entry) in _entries)
            if (entry.Key?.Id == keyId) _entries.TryRemove(hash, out _);
    }
}
