namespace FeatureStore.Domain.Security;

/// <summary>
/// Feature-level protection, the one rule: an object (a view, an on-demand view, a feature service) is protected when a
/// permission of its project that requires tags covers it; using it then needs a permission that covers it, grants the action
/// and names one of the caller's roles. Admins and the services are exempt (an admin could change the permissions anyway).
/// Derived data inherits: an on-demand feature is readable only when its view and every view it reads are.
/// </summary>
public static class FeatureProtection
{
    public static bool IsProtected(ObjectKind kind, string name, IReadOnlyDictionary<string, string> tags,
        IReadOnlyList<PermissionDefinition> permissions) =>
        permissions.Any(p => p.RequiredTags.Count > 0 && p.Covers(kind, name, tags));

    public static bool MayUse(Principal principal, FeatureAction action, ObjectKind kind, string name,
        IReadOnlyDictionary<string, string> tags, IReadOnlyList<PermissionDefinition> permissions) =>
        permissions.Count == 0 || principal.Holds(BuiltInRoles.Admin) || principal.Holds(BuiltInRoles.Service)
        || !IsProtected(kind, name, tags, permissions)
        || permissions.Any(p => p.Covers(kind, name, tags) && p.Actions.Contains(action) && p.Roles.Any(principal.Holds));
}
