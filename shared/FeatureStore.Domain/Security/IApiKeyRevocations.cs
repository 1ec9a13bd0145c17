namespace FeatureStore.Domain.Security;

/// <summary>Told when a key is revoked (the <c>ApiKeyRevoked</c> event), so a service stops accepting it at once instead of when
/// its cached verdict runs out.</summary>
public interface IApiKeyRevocations
{
    void Revoked(string keyId);
}
