using FeatureStore.Contracts;

namespace FeatureStore.Client;

/// <summary>API keys (admins only): make one, list them, revoke one.</summary>
public sealed partial class FeatureStoreClient
{
    /// <summary>Makes a key; the answer holds its secret, the only time anyone sees it.</summary>
    public Task<CreatedApiKeyDto> CreateApiKeyAsync(CreateApiKeyRequest request, CancellationToken cancellationToken = default) =>
        PostAsync<CreatedApiKeyDto>(Registry, "admin/keys", request, cancellationToken);

    /// <summary>Every key, revoked and expired ones too, newest first; never a secret.</summary>
    public Task<IReadOnlyList<ApiKeyDto>> ListApiKeysAsync(CancellationToken cancellationToken = default) =>
        GetAsync<IReadOnlyList<ApiKeyDto>>(Registry, "admin/keys", cancellationToken);

    /// <summary>Revokes a key for good (404 when there is none, 409 when it was revoked already).</summary>
    public Task<ApiKeyDto> RevokeApiKeyAsync(string id, CancellationToken cancellationToken = default) =>
        ReadAsync<ApiKeyDto>(Registry, new HttpRequestMessage(HttpMethod.Delete, $"admin/keys/{Uri.EscapeDataString(id)}"),
            cancellationToken);

    /// <summary>The audit log (admins), newest first: records matching every filter given, at most <paramref name="limit"/>;
    /// the answer's <c>Next</c> continues with <paramref name="before"/>.</summary>
    public Task<AuditPageDto> ListAuditRecordsAsync(string? principal = null, string? action = null, string? project = null,
        string? outcome = null, int? limit = null, long? before = null, CancellationToken cancellationToken = default)
        => GetAsync<AuditPageDto>(Registry, Query("admin/audit", ("principal", principal), ("action", action), ("project", project),
            ("outcome", outcome), ("limit", limit), ("before", before)), cancellationToken);
}
