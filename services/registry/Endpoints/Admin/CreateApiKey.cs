using FastEndpoints;
using FeatureStore.Api;
using FeatureStore.Api.Audit;
using FeatureStore.Api.Security;
using FeatureStore.Contracts;
using FeatureStore.Domain.Security;
using FeatureStore.Registry.Storage;
using FluentValidation;

namespace FeatureStore.Registry.Endpoints.Admin;

/// <summary>
/// <c>POST /api/v1/admin/keys</c> (admins): makes a key and answers 201 with its text, the only time anyone sees it; the
/// registry keeps its hash.
/// </summary>
[Access(FeatureAction.Admin)]
public sealed class CreateApiKey(IApiKeyStore keys, TimeProvider clock) : Endpoint<CreateApiKeyRequest, CreatedApiKeyDto>
{
    public override void Configure()
    {
        Post("admin/keys");
        Description(d => d.Produces<CreatedApiKeyDto>(201));
    }

    public override async Task HandleAsync(CreateApiKeyRequest request, CancellationToken ct)
    {
        var (id, text) = ApiKeySecret.Create();
        var key = new ApiKey(id, request.Name!, request.Owner!, request.Projects!.Distinct().ToList(), request.Roles!.Distinct().ToList(),
            ApiKeySecret.Hash(text), clock.GetUtcNow(), request.ExpiresAt, RequestsPerSecond: request.RequestsPerSecond);
        await keys.CreateKeyAsync(key, ct);
        var audit = AuditNotes.Of(HttpContext);
        audit.Objects.Add($"apiKey/{id}");
        audit.Detail = $"roles [{string.Join(", ", key.Roles)}] in projects [{string.Join(", ", key.Projects)}]";
        HttpContext.Response.Headers.CacheControl = "no-store";
        await Send.ResponseAsync(new CreatedApiKeyDto(ApiKeyDto.From(key), text), 201, ct);
    }
}

public sealed class CreateApiKeyValidator : Validator<CreateApiKeyRequest>
{
    private const int MaxText = 200;
    private const int MaxItems = 100;

    public CreateApiKeyValidator()
    {
        RuleFor(r => r.Name).NotEmpty().WithMessage("is required").MaximumLength(MaxText);
        RuleFor(r => r.Owner).NotEmpty().WithMessage("is required").MaximumLength(MaxText);
        RuleFor(r => r.Projects).NotEmpty().WithMessage("is required: the projects the key may act in, or [\"*\"] for all")
            .Must(p => p is null || p.Count <= MaxItems).WithMessage($"may list at most {MaxItems} projects");
        RuleForEach(r => r.Projects).Must(p => p == ApiKey.AllProjects || FeatureStore.Domain.Names.IsValid(p))
            .WithMessage($"must be \"*\" or a project name: {FeatureStore.Domain.Names.Rule}");
        RuleFor(r => r.Roles).NotEmpty().WithMessage($"is required: built-in roles are {string.Join(", ", BuiltInRoles.All)}")
            .Must(r => r is null || r.Count <= MaxItems).WithMessage($"may list at most {MaxItems} roles");
        RuleForEach(r => r.Roles).MustBeName()
            .Must(role => role != BuiltInRoles.Service).WithMessage($"'{BuiltInRoles.Service}' belongs to the services' own credential");
        RuleFor(r => r.ExpiresAt).Must(at => at > DateTimeOffset.UtcNow).WithMessage("must be in the future")
            .When(r => r.ExpiresAt is not null);
        RuleFor(r => r.RequestsPerSecond).InclusiveBetween(1, 1_000_000).When(r => r.RequestsPerSecond is not null);
    }
}
