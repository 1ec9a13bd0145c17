using FastEndpoints;
using FeatureStore.Api;
using FeatureStore.Api.Audit;
using FeatureStore.Api.Security;
using FeatureStore.Contracts;
using FeatureStore.Domain.Security;
using FeatureStore.Registry.Storage;
using MassTransit;

namespace FeatureStore.Registry.Endpoints.Admin;

public sealed class ApiKeyRequest
{
    public string Id { get; set; } = "";
}

/// <summary>
/// <c>DELETE /api/v1/admin/keys/{id}</c> (admins): revokes a key for good. This process forgets it at once; the others on the
/// <c>ApiKeyRevoked</c> event, or when their cached verdict runs out (<c>FeatureStore:Auth:KeyCacheTime</c>) if the event is
/// lost. 404 for no such key, 409 when it was revoked already.
/// </summary>
[Access(FeatureAction.Admin)]
public sealed partial class RevokeApiKey(IApiKeyStore keys, IApiKeyRevocations revocations, IBus bus, TimeProvider clock,
    ILogger<RevokeApiKey> logger) : Endpoint<ApiKeyRequest, ApiKeyDto>
{
    public override void Configure()
    {
        Delete("admin/keys/{id}");
        Description(d => d.Produces<ProblemDocument>(404, "application/problem+json")
            .Produces<ProblemDocument>(409, "application/problem+json"));
    }

    public override async Task HandleAsync(ApiKeyRequest request, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        AuditNotes.Of(HttpContext).Objects.Add($"apiKey/{request.Id}");
        if (!await keys.RevokeKeyAsync(request.Id, now, ct))
        {
            if (await keys.FindKeyAsync(request.Id, ct) is { } already)
                throw new ConflictException([new FieldError("id", $"key '{request.Id}' was revoked at {already.RevokedAt:O}")]);
            throw new NotFoundException([new FieldError("id", $"key '{request.Id}' does not exist")]);
        }
        revocations.Revoked(request.Id);
        try { await bus.Publish(new ApiKeyRevoked(request.Id, now), ct); }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The revocation is stored; the other services refuse the key once their cached verdict runs out.
            EventLost(logger, request.Id, e.Message);
        }
        await Send.OkAsync(ApiKeyDto.From((await keys.FindKeyAsync(request.Id, ct))!), ct);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message =
        "Key {KeyId} is revoked, but the ApiKeyRevoked event could not be published ({Reason}): other services refuse it when " +
        "their cached verdict runs out")]
    private static partial void EventLost(ILogger logger, string keyId, string reason);
}
