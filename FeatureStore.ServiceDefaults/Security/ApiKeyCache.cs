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
/// A key is looked up once at a time: uses that find no verdict they may trust wait for the lookup in flight, not each for its
/// own (a busy key's verdict used to run out for every request in flight at once, each then asking the registry and waiting for
/// it). A verdict in the last quarter of its time is renewed in the background by the first use that sees it, so a key in
/// steady use never waits for the registry.
/// </summary>
public sealed class ApiKeyCache(IApiKeySource source, IOptions<AuthOptions> options, TimeProvider clock) : IApiKeyRevocations
{
    private const int MaxEntries = 10_000;

    /// <summary>The share of <see cref="AuthOptions.KeyCacheTime"/> after which a use renews the verdict in the background.</summary>
    private const double RenewAfter = 0.75;

    private sealed record Entry(ApiKey? Key, string? Refusal, DateTimeOffset CheckedAt)
    {
        public Principal? Principal { get; } = Key is null ? null : Principal.Of(Key);
    }

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Task<Entry>> _lookups = new(StringComparer.Ordinal);
    private long _revocations;

    /// <param name="hash">The text's <see cref="ApiKeySecret.Hash"/>, made once by the caller.</param>
    public async ValueTask<KeyVerdict> VerifyAsync(string text, string hash, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        _entries.TryGetValue(hash, out var known);
        var cacheTime = options.Value.KeyCacheTime;
        if (known is not null && now - known.CheckedAt < cacheTime)
        {
            if (now - known.CheckedAt >= cacheTime * RenewAfter) Renew(text, hash);
        }
        else
        {
            try
            {
                known = await LookUp(text, hash).WaitAsync(cancellationToken);
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
        Interlocked.Increment(ref _revocations);
        foreach (var (hash, entry) in _entries)
            if (entry.Key?.Id == keyId) _entries.TryRemove(hash, out _);
    }

    /// <summary>A renewal's failure is nobody's to see: the verdict holds until its time is up, and the first use after that asks
    /// again (or the grace applies).</summary>
    private void Renew(string text, string hash) => LookUp(text, hash).ContinueWith(static lookup => _ = lookup.Exception,
        CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously,
        TaskScheduler.Default);

    /// <summary>The lookup of a key in flight, or a new one. It is not cancelled with any one caller: others may be waiting for it.
    /// </summary>
    private Task<Entry> LookUp(string text, string hash)
    {
        var mine = new TaskCompletionSource<Entry>(TaskCreationOptions.RunContinuationsAsynchronously);
        var lookup = _lookups.GetOrAdd(hash, mine.Task);
        if (lookup == mine.Task) _ = CompleteAsync(mine, text, hash);
        return lookup;
    }

    private async Task CompleteAsync(TaskCompletionSource<Entry> lookup, string text, string hash)
    {
        try
        {
            var (asked, revocations) = (clock.GetUtcNow(), Interlocked.Read(ref _revocations));
            var key = await source.FindAsync(text, CancellationToken.None);
            var entry = new Entry(key, key is null ? "is not an API key this deployment knows" : null, asked);
            // An answer given before a revocation event may predate the revocation: it serves its callers, it is not kept.
            if (Interlocked.Read(ref _revocations) == revocations)
            {
                if (_entries.Count >= MaxEntries) _entries.Clear();
                _entries[hash] = entry;
            }
            lookup.SetResult(entry);
        }
        catch (Exception e)
        {
            lookup.SetException(e);
        }
        finally
        {
            _lookups.TryRemove(KeyValuePair.Create(hash, lookup.Task));
        }
    }
}
