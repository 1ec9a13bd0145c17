using FeatureStore.Client;
using Microsoft.AspNetCore.Components.Authorization;

namespace FeatureStore.Web.Session;

/// <summary>
/// The SDK as the signed-in person: one <see cref="FeatureStoreClient"/> per circuit, over the host's shared HttpClients, sending
/// the key they signed in with. What they may not read, the services refuse; the pages show the refusal.
/// </summary>
public sealed class StoreSession(AuthenticationStateProvider authentication, IHttpClientFactory clients)
{
    private FeatureStoreClient? _client;

    public async Task<FeatureStoreClient> ClientAsync()
    {
        if (_client is not null) return _client;
        var state = await authentication.GetAuthenticationStateAsync();
        return _client = For(state.User.FindFirst(SignInEndpoints.KeyClaim)?.Value, clients);
    }

    /// <summary>The names of the projects the signed-in key covers, in order: what every page's project choice offers.</summary>
    public async Task<List<string>> ProjectNamesAsync(CancellationToken cancellationToken = default) =>
        [.. (await (await ClientAsync()).ListProjectsAsync(cancellationToken)).Select(p => p.Name).Order()];

    /// <summary>A client sending <paramref name="key"/> (none: open mode).</summary>
    public static FeatureStoreClient For(string? key, IHttpClientFactory clients) =>
        new(new FeatureStoreClientOptions { ApiKey = key }, clients);
}
