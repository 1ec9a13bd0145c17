using FeatureStore.Domain.Security;

namespace FeatureStore.Registry.Storage;

/// <summary>API keys: created once, listed, revoked (never deleted: revocation is history), and touched when used.</summary>
public interface IApiKeyStore
{
    Task CreateKeyAsync(ApiKey key, CancellationToken cancellationToken);

    Task<ApiKey?> FindKeyAsync(string id, CancellationToken cancellationToken);

    /// <summary>Every key, revoked and expired ones included, newest first.</summary>
    Task<IReadOnlyList<ApiKey>> ListKeysAsync(CancellationToken cancellationToken);

    /// <summary>Revokes a key that is not revoked yet; false when there is no such key or it was revoked already.</summary>
    Task<bool> RevokeKeyAsync(string id, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>Records a use: the last-used time only moves forward.</summary>
    Task TouchKeyAsync(string id, DateTimeOffset at, CancellationToken cancellationToken);
}
