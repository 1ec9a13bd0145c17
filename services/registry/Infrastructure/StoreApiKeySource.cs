using FeatureStore.Api;
using FeatureStore.Api.Security;
using FeatureStore.Domain.Security;
using FeatureStore.Registry.Storage;

namespace FeatureStore.Registry.Infrastructure;

/// <summary>
/// Keys as the registry's own store knows them: found by the id in the text, proven by the hash. A use is recorded when the
/// key is looked up, which the caches of every service make at most once per key cache time: last-used is that precise.
/// </summary>
public sealed class StoreApiKeySource(IApiKeyStore keys, IEnumerable<IDependencyFailure> failures, TimeProvider clock) : IApiKeySource
{
    public async Task<ApiKey?> FindAsync(string text, CancellationToken cancellationToken)
    {
        if (!ApiKeySecret.TryReadId(text, out var id)) return null;
        try
        {
            var key = await keys.FindKeyAsync(id, cancellationToken);
            if (key is null || !ApiKeySecret.Matches(text, key.SecretHash)) return null;
            var now = clock.GetUtcNow();
            if (key.IsActiveAt(now)) await keys.TouchKeyAsync(id, now, cancellationToken);
            return key;
        }
        catch (Exception e) when (DependencyFailures.Recognise(e, failures) is { } outage)
        {
            throw outage;
        }
    }
}
