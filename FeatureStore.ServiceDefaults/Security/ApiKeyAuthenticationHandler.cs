using System.Runtime.CompilerServices;
using System.Security.Claims;
using System.Text.Encodings.Web;
using FastEndpoints;
using FeatureStore.Contracts;
using FeatureStore.Domain.Security;
using FluentValidation.Results;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FeatureStore.Api.Security;

/// <summary>
/// Authenticates an API key (<c>X-API-Key</c>, or <c>Authorization: Bearer</c> when it is not a token): the service credential
/// and the bootstrap admin key by a constant-time comparison, any other through the <see cref="ApiKeyCache"/>. A refusal
/// answers 401 naming the header and why; a registry that cannot tell answers 503 naming it. Under
/// <see cref="AuthMode.Open"/> a caller without a credential is <see cref="Principal.Open"/>, but a wrong one is still refused.
/// </summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> schemeOptions, ILoggerFactory logger, UrlEncoder encoder,
    IOptions<AuthOptions> auth, ConfiguredCredentials configuredCredentials, ApiKeyCache keys)
    : AuthenticationHandler<AuthenticationSchemeOptions>(schemeOptions, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    private const string FailureItem = "fs:auth-failure";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var (header, text) = Credentials.Read(Request);
        if (text is null)
            return auth.Value.Mode == AuthMode.Open ? Success(Principal.Open) : AuthenticateResult.NoResult();
        var hash = ApiKeySecret.Hash(text);
        if (configuredCredentials.Match(hash) is { } configured) return Success(configured);
        switch (await keys.VerifyAsync(text, hash, Context.RequestAborted))
        {
            case KeyVerdict.Accepted accepted:
                return Success(accepted.Principal);
            case KeyVerdict.Unavailable unavailable:
                Context.Items[FailureItem] = (StatusCodes.Status503ServiceUnavailable, unavailable.Dependency);
                return AuthenticateResult.Fail($"{unavailable.Dependency.Field} cannot verify the key now");
            case KeyVerdict.Refused refused:
                Context.Items[FailureItem] = (StatusCodes.Status401Unauthorized, new FieldError(header, refused.Reason));
                return AuthenticateResult.Fail(refused.Reason);
            default:
                throw new InvalidOperationException("unknown key verdict");
        }
    }

    private AuthenticateResult Success(Principal principal)
    {
        Context.SetPrincipal(principal);
        return AuthenticateResult.Success(new AuthenticationTicket(Claims.GetValue(principal, Make), SchemeName));
    }

    // A key's principal is one object while the key cache keeps it (the configured ones for the process's life): its claims are
    // made once, not per request; nothing in a request changes them.
    private static readonly ConditionalWeakTable<Principal, ClaimsPrincipal> Claims = new();
    private static readonly ConditionalWeakTable<Principal, ClaimsPrincipal>.CreateValueCallback Make =
        principal => PrincipalClaims.ToClaims(principal, SchemeName);

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var (status, error) = Context.Items[FailureItem] is (int s, FieldError e)
            ? (s, e)
            : (StatusCodes.Status401Unauthorized, new FieldError(Credentials.ApiKeyHeader,
                $"a credential is needed: an API key as {Credentials.ApiKeyHeader} or Authorization: Bearer"));
        return AuthProblems.WriteAsync(Context, status, error);
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        AuthProblems.WriteAsync(Context, StatusCodes.Status403Forbidden, new FieldError("Authorization", "not allowed"));
}

/// <summary>
/// The service credential and the bootstrap admin key, hashed once at start: a request's key is hashed once and compared
/// with these in constant time, so the time taken says nothing of how much of a guess was right.
/// </summary>
public sealed class ConfiguredCredentials(IOptions<AuthOptions> options)
{
    private static readonly Principal BootstrapAdmin =
        new("bootstrap-admin", PrincipalKind.ApiKey, "bootstrap admin key", [Principal.AllProjects], [BuiltInRoles.Admin]);

    private readonly (string Hash, Principal Principal)[] _known =
        new (string? Text, Principal Principal)[]
            {
                (options.Value.ServiceKey, Principal.Service), (options.Value.AdminKey, BootstrapAdmin),
            }.Where(c => !string.IsNullOrEmpty(c.Text)).Select(c => (ApiKeySecret.Hash(c.Text!), c.Principal)).ToArray();

    public Principal? Match(string hash)
    {
        foreach (var (known, principal) in _known)
            if (ApiKeySecret.SameHash(hash, known)) return principal;
        return null;
    }
}

/// <summary>Where a request carries its credential.</summary>
public static class Credentials
{
    public const string ApiKeyHeader = FeatureStoreHeaders.ApiKey;
    private const string BearerPrefix = "Bearer ";

    /// <summary>The credential's text and the header it came in; <c>X-API-Key</c> first.</summary>
    public static (string Header, string? Text) Read(HttpRequest request)
    {
        if (request.Headers[ApiKeyHeader] is [{ Length: > 0 } key]) return (ApiKeyHeader, key.Trim());
        return ("Authorization", BearerToken(request));
    }

    public static string? BearerToken(HttpRequest request) =>
        request.Headers.Authorization is [{ } value] && value.StartsWith(BearerPrefix, StringComparison.OrdinalIgnoreCase)
            && value[BearerPrefix.Length..].Trim() is { Length: > 0 } token
            ? token
            : null;

    /// <summary>A JSON Web Token (three base64url parts); an API key never has a dot.</summary>
    public static bool IsToken(HttpRequest request) =>
        request.Headers[ApiKeyHeader].Count == 0 && BearerToken(request) is { } token && token.Count(c => c == '.') == 2;
}

/// <summary>Authentication's refusals, in the problem shape every other refusal has.</summary>
public static class AuthProblems
{
    public static async Task WriteAsync(HttpContext http, int status, FieldError error)
    {
        if (http.Response.HasStarted) return;
        // A refusal is audited with its reason; a 503 is not a refusal.
        if (status != StatusCodes.Status503ServiceUnavailable) Audit.AuditNotes.Of(http).Detail = $"{error.Field}: {error.Reason}";
        if (status == StatusCodes.Status401Unauthorized) http.Response.Headers.WWWAuthenticate = "Bearer, ApiKey";
        if (status == StatusCodes.Status503ServiceUnavailable) http.Response.Headers.RetryAfter = DependencyFailures.RetryAfter;
        await http.Response.SendErrorsAsync([new ValidationFailure(error.Field, error.Reason)], status);
    }
}
