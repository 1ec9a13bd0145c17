using FeatureStore.Api.Security;
using FeatureStore.Domain.Security;
using FeatureStore.Registry.Storage;
using Microsoft.Extensions.Options;

namespace FeatureStore.Standalone;

/// <summary>
/// Secure by default on a laptop too: on the standalone host's first start (no API key exists, none is configured) it makes an
/// admin key over every project and prints it once on the console, never to the logs (which may be shipped elsewhere); only its
/// hash is stored. Lost it? Set <c>FeatureStore:Auth:AdminKey</c>, or start over with a new data directory.
/// </summary>
public sealed class FirstAdminKey(IApiKeyStore keys, IOptions<AuthOptions> auth, TimeProvider clock) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (auth.Value.Mode == AuthMode.Open || !string.IsNullOrEmpty(auth.Value.AdminKey)) return;
        if ((await keys.ListKeysAsync(cancellationToken)).Count > 0) return;
        var (id, text) = ApiKeySecret.Create();
        await keys.CreateKeyAsync(new ApiKey(id, "first admin", "standalone host", [ApiKey.AllProjects], [BuiltInRoles.Admin],
            ApiKeySecret.Hash(text), clock.GetUtcNow()), cancellationToken);
        await Console.Out.WriteLineAsync(
            $"""

             ============================================================================================
              First start: an admin API key was made. It is shown this once; only its hash is kept.
                export FEATURESTORE_KEY={text}
              Send it as X-API-Key (or Authorization: Bearer). Make more with POST /api/v1/admin/keys.
              The web UI is under /ui/ on this host: sign in there with the same key.
             ============================================================================================

             """);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
