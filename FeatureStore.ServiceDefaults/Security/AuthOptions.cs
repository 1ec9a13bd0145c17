namespace FeatureStore.Api.Security;

public enum AuthMode
{
    /// <summary>Every API call needs a credential: an API key, an OIDC token, or the service credential.</summary>
    Keys,
    /// <summary>No credential needed; an anonymous caller is an admin. Local experiments only: logged at every start and shown
    /// by <c>/health</c>.</summary>
    Open,
}

/// <summary><c>FeatureStore:Auth</c>: how callers prove who they are.</summary>
public sealed class AuthOptions
{
    public const string Section = "FeatureStore:Auth";

    public AuthMode Mode { get; set; } = AuthMode.Keys;

    /// <summary>The bootstrap admin credential (the AppHost's generated <c>admin-key</c> parameter): accepted as an admin over
    /// every project, never stored; rotate it by changing the parameter.</summary>
    public string? AdminKey { get; set; }

    /// <summary>The credential the services present to each other (the AppHost's <c>service-key</c> parameter; the standalone
    /// host makes one in process). Required in <see cref="AuthMode.Keys"/>.</summary>
    public string? ServiceKey { get; set; }

    /// <summary>How long a service trusts what the registry said of a key before asking again: the bound on a revocation whose
    /// event was lost.</summary>
    public TimeSpan KeyCacheTime { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a key the registry accepted stays accepted while the registry cannot be reached (serving goes on through
    /// a registry outage); a revocation event still ends it at once.</summary>
    public TimeSpan KeyGraceWhileRegistryDown { get; set; } = TimeSpan.FromMinutes(10);

    public OidcOptions Oidc { get; set; } = new();

    public RateLimitOptions RateLimit { get; set; } = new();
}

/// <summary><c>FeatureStore:Auth:RateLimit</c>: each principal's own token bucket (a key's own limit wins); the services'
/// credential is not limited.</summary>
public sealed class RateLimitOptions
{
    public int RequestsPerSecond { get; set; } = 5000;

    /// <summary>How many requests a quiet principal may send at once; at least one second's worth.</summary>
    public int Burst { get; set; } = 10_000;
}

/// <summary><c>FeatureStore:Auth:Oidc</c>: bearer tokens from an identity provider, the second way in.</summary>
public sealed class OidcOptions
{
    /// <summary>The issuer whose discovery document and signing keys tokens are checked against; tokens are not accepted
    /// while it is unset.</summary>
    public string? Authority { get; set; }

    public string? Audience { get; set; }

    /// <summary>The claim holding the roles (one claim per role, or a JSON array).</summary>
    public string RoleClaim { get; set; } = "roles";

    /// <summary>The claim holding the projects the token may act in (<c>*</c>: all); a token without it acts in none.</summary>
    public string ProjectClaim { get; set; } = "projects";

    /// <summary>Plain-HTTP discovery is for a loopback test issuer only.</summary>
    public bool RequireHttpsMetadata { get; set; } = true;

    public bool Enabled => !string.IsNullOrWhiteSpace(Authority);
}
