using FastEndpoints;
using FeatureStore.Api;
using FeatureStore.Api.Security;
using FeatureStore.Contracts;
using FeatureStore.Domain.Security;
using FluentValidation;

namespace FeatureStore.Registry.Endpoints.Admin;

/// <summary>
/// <c>POST /api/v1/admin/keys/verify</c> (the services only): the key a text proves, revoked or expired ones included (the
/// caller's cache decides what that means), or 404 when it proves none. The text travels in the body, never in a URL.
/// </summary>
[Access(FeatureAction.Internal)]
public sealed class VerifyApiKey(IApiKeySource keys) : Endpoint<VerifyApiKeyRequest, ApiKeyDto>
{
    public override void Configure()
    {
        Post("admin/keys/verify");
        Description(d => d.Produces<ProblemDocument>(404, "application/problem+json"));
    }

    public override async Task HandleAsync(VerifyApiKeyRequest request, CancellationToken ct)
    {
        var key = await keys.FindAsync(request.Key!, ct)
                  ?? throw new NotFoundException([new FieldError("key", "is not an API key this deployment knows")]);
        await Send.OkAsync(ApiKeyDto.From(key), ct);
    }
}

public sealed class VerifyApiKeyValidator : Validator<VerifyApiKeyRequest>
{
    public VerifyApiKeyValidator() =>
        RuleFor(r => r.Key).NotEmpty().WithMessage("is required").MaximumLength(1024);
}
