using FeatureStore.Domain.Security;

namespace FeatureStore.Api.Security;

/// <summary>
/// Where a service learns what an API key is: the registry's own store in the registry (and the standalone host), the
/// registry's verify endpoint elsewhere. Answers the key the text proves (its hash matched), or null for a text that proves
/// none; throws <see cref="DependencyUnavailableException"/> when it cannot tell now.
/// </summary>
public interface IApiKeySource
{
    Task<ApiKey?> FindAsync(string text, CancellationToken cancellationToken);
}
