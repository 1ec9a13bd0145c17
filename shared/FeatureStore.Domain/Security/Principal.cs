namespace FeatureStore.Domain.Security;

public enum PrincipalKind
{
    /// <summary>An API key the registry keeps (or the bootstrap admin key a deployment configures).</summary>
    ApiKey,
    /// <summary>An OIDC bearer token from the configured identity provider.</summary>
    Token,
    /// <summary>One of our services calling another with the service credential.</summary>
    Service,
    /// <summary>Anyone at all, under <c>Auth:Mode=open</c> (local experiments only).</summary>
    Open,
}

/// <summary>
/// Who is asking: an id that finds them in the audit log (the key id or the token's subject), the projects they may touch
/// (<c>*</c>: all) and the roles they hold, and their own rate limit if they have one. Built by authentication, read by every
/// access decision.
/// </summary>
public sealed record Principal(string Id, PrincipalKind Kind, string Name, IReadOnlyList<string> Projects, IReadOnlyList<string> Roles,
    int? RequestsPerSecond = null)
{
    public const string AllProjects = ApiKey.AllProjects;

    public static readonly Principal Service =
        new("service", PrincipalKind.Service, "service identity", [AllProjects], [BuiltInRoles.Service]);

    public static readonly Principal Open = new("open", PrincipalKind.Open, "anyone (Auth:Mode=open)", [AllProjects], [BuiltInRoles.Admin]);

    public bool CoversAllProjects => Projects.Contains(AllProjects);

    public bool Covers(string project) => CoversAllProjects || Projects.Contains(project);

    public bool Holds(string role) => Roles.Contains(role);

    public static Principal Of(ApiKey key) => new(key.Id, PrincipalKind.ApiKey, key.Name, key.Projects, key.Roles, key.RequestsPerSecond);
}
