using FastEndpoints;
using FeatureStore.Api.Security;
using FeatureStore.Contracts;
using FeatureStore.Domain.Security;
using FeatureStore.Registry.Storage;

namespace FeatureStore.Registry.Endpoints.Admin;

/// <summary><c>GET /api/v1/admin/keys</c> (admins): every key, revoked and expired ones too, newest first; never a secret.</summary>
[Access(FeatureAction.Admin)]
public sealed class ListApiKeys(IApiKeyStore keys) : EndpointWithoutRequest<List<ApiKeyDto>>
{
    public override void Configure() => Get("admin/keys");

    public override async Task HandleAsync(CancellationToken ct) =>
        await Send.OkAsync((await keys.ListKeysAsync(ct)).Select(ApiKeyDto.From).ToList(), ct);
}
