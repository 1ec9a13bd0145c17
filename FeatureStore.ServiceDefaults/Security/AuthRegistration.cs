using System.Security.Claims;
using FeatureStore.Domain;
using FeatureStore.Domain.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FeatureStore.Api.Security;

/// <summary>
/// Authentication as every host has it: one default scheme that hands an OIDC token (three dotted parts in
/// <c>Authorization: Bearer</c>) to JwtBearer when an authority is configured, and anything else to the API-key handler (but
/// requests under a path base a module signs in itself, <see cref="PathBaseSchemes"/>, to that module's scheme).
/// </summary>
public static partial class AuthRegistration
{
    public const string DefaultScheme = "FeatureStore";

    public static IHostApplicationBuilder AddFeatureStoreAuth(this IHostApplicationBuilder builder)
    {
        var section = builder.Configuration.GetSection(AuthOptions.Section);
        var configured = section.Get<AuthOptions>() ?? new AuthOptions();
        builder.Services.AddOptions<AuthOptions>().Bind(section)
            .Validate(o => o.Mode == AuthMode.Open || !string.IsNullOrEmpty(o.ServiceKey),
            $"{AuthOptions.Section}:ServiceKey is not set: the services need it to call each other (the AppHost passes its service-key " +
            $"parameter; set {AuthOptions.Section}:Mode=open only for a local experiment)").ValidateOnStart();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.TryAddSingleton<IApiKeySource, NoApiKeys>();
        builder.Services.TryAddSingleton<IPermissionSource, CatalogPermissions>();
        builder.Services.TryAddSingleton<ApiKeyCache>();
        builder.Services.TryAddSingleton<ConfiguredCredentials>();
        builder.Services.TryAddSingleton<IApiKeyRevocations>(services => services.GetRequiredService<ApiKeyCache>());
        builder.Services.AddAuthorization();
        builder.Services.AddPrincipalRateLimits();
        var authentication = builder.Services.AddAuthentication(DefaultScheme)
            .AddPolicyScheme(DefaultScheme, null, policy => policy.ForwardDefaultSelector = http =>
                http.RequestServices.GetService<PathBaseSchemes>()?.For(http.Request)
                ?? (configured.Oidc.Enabled && Credentials.IsToken(http.Request)
                    ? JwtBearerDefaults.AuthenticationScheme
                    : ApiKeyAuthenticationHandler.SchemeName))
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
        if (configured.Oidc.Enabled) authentication.AddJwtBearer(jwt => ConfigureTokens(jwt, configured.Oidc));
        builder.Services.AddHealthChecks().AddCheck<AuthModeHealthCheck>("auth");
        builder.Services.AddHostedService<OpenModeWarning>();
        return builder;
    }

    private static void ConfigureTokens(JwtBearerOptions jwt, OidcOptions oidc)
    {
        jwt.Authority = oidc.Authority;
        jwt.Audience = oidc.Audience;
        jwt.RequireHttpsMetadata = oidc.RequireHttpsMetadata;
        jwt.MapInboundClaims = false;
        jwt.TokenValidationParameters.ValidateAudience = !string.IsNullOrEmpty(oidc.Audience);
        jwt.Events = new JwtBearerEvents
        {
            // The token's own claims become the one principal shape every access decision reads.
            OnTokenValidated = context =>
            {
                var token = context.Principal!;
                var subject = token.FindFirst("sub")?.Value ?? "unknown";
                var principal = new Principal($"token:{subject}", PrincipalKind.Token,
                    token.FindFirst("name")?.Value ?? subject, Values(token, oidc.ProjectClaim), Values(token, oidc.RoleClaim));
                context.Principal = PrincipalClaims.ToClaims(principal, JwtBearerDefaults.AuthenticationScheme);
                return Task.CompletedTask;
            },
            OnChallenge = async context =>
            {
                context.HandleResponse();
                var reason = context.AuthenticateFailure is { } failure
                    ? $"the token is not accepted: {failure.GetType().Name.Replace("Exception", "")}"
                    : "a credential is needed";
                await AuthProblems.WriteAsync(context.HttpContext, StatusCodes.Status401Unauthorized,
                    new FieldError("Authorization", reason));
            },
        };
    }

    /// <summary>A claim's values, whether given as one claim each or as one space-separated value.</summary>
    private static List<string> Values(ClaimsPrincipal token, string claim) =>
        token.FindAll(claim).SelectMany(c => c.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries)).Distinct().ToList();

    /// <summary>A host without a key store or a registry to ask: only the configured credentials are known.</summary>
    /// <summary>Permissions read from the catalog each time (none without one): for services that cache no definitions.</summary>
    private sealed class CatalogPermissions(IServiceProvider services) : IPermissionSource
    {
        public async ValueTask<IReadOnlyList<PermissionDefinition>> PermissionsAsync(string project, CancellationToken cancellationToken) =>
            services.GetService<IDefinitionCatalog>() is { } catalog
                ? (await catalog.ListAsync(project, ObjectKind.Permission, cancellationToken)).OfType<PermissionDefinition>().ToList()
                : [];
    }

    private sealed class NoApiKeys : IApiKeySource
    {
        public Task<ApiKey?> FindAsync(string text, CancellationToken cancellationToken) => Task.FromResult<ApiKey?>(null);
    }

    private sealed class AuthModeHealthCheck(IOptions<AuthOptions> options) : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
            Task.FromResult(options.Value.Mode == AuthMode.Open
                ? HealthCheckResult.Degraded("Auth:Mode=open: every caller without a credential is an admin (local experiments only)")
                : HealthCheckResult.Healthy(options.Value.Oidc.Enabled ? "keys and OIDC tokens" : "keys"));
    }

    private sealed partial class OpenModeWarning(IOptions<AuthOptions> options, ILogger<OpenModeWarning> logger) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            if (options.Value.Mode == AuthMode.Open) Warn(logger);
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        [LoggerMessage(Level = LogLevel.Warning, Message =
            "FeatureStore:Auth:Mode is open: every request without a credential is treated as an admin. " +
            "Use it for local experiments only.")]
        private static partial void Warn(ILogger logger);
    }
}
