namespace FeatureStore.Domain.Security;

/// <summary>
/// The one rule for whether a principal may do an action in a project (object-level protection by tags comes on top, in
/// feature access). A project of <c>null</c> asks whether the principal may do the action anywhere (an endpoint that learns
/// the project only from what it finds asks again with it).
/// </summary>
public static class AccessRules
{
    public static bool Allows(Principal principal, FeatureAction action, string? project)
    {
        if (principal.Holds(BuiltInRoles.Service)) return true;
        if (action == FeatureAction.Internal) return false;
        // Administration is of the whole deployment (keys, permissions, audit), so a project-scoped admin cannot.
        if (action == FeatureAction.Admin) return principal.Holds(BuiltInRoles.Admin) && principal.CoversAllProjects;
        if (project is not null && !principal.Covers(project)) return false;
        return principal.Roles.Any(role => BuiltInRoles.Grants(role, action));
    }

    /// <summary>Why <see cref="Allows"/> said no, in words for a 403 problem.</summary>
    public static string Refusal(Principal principal, FeatureAction action, string? project) =>
        action == FeatureAction.Internal ? "is only for the services themselves"
        : action == FeatureAction.Admin ? $"needs the '{BuiltInRoles.Admin}' role over every project"
        : project is not null && !principal.Covers(project) ? $"'{principal.Id}' may not act in project '{project}'"
        : $"'{principal.Id}' (roles: {string.Join(", ", principal.Roles)}) may not {ActionName(action)}";

    private static readonly Dictionary<FeatureAction, string> Names = Enum.GetValues<FeatureAction>()
        .ToDictionary(a => a, a => System.Text.Json.JsonSerializer.Serialize(a).Trim('"'));

    /// <summary>An action as permissions and problems write it (<c>read_online</c>).</summary>
    public static string ActionName(FeatureAction action) => Names[action];

    /// <summary>The action a permission may grant by that name (not <c>admin</c>, not <c>internal</c>).</summary>
    public static bool TryParseGrantable(string? name, out FeatureAction action)
    {
        action = Names.FirstOrDefault(n => n.Value == name).Key;
        return name is not null && Names[action] == name && action is not (FeatureAction.Admin or FeatureAction.Internal);
    }

    public static IEnumerable<string> GrantableNames =>
        Names.Where(n => n.Key is not (FeatureAction.Admin or FeatureAction.Internal)).Select(n => n.Value);
}
