namespace FeatureStore.Domain.Security;

/// <summary>
/// Permissions over objects, the one rule. A permission grants its actions to its roles on the objects it covers. An object
/// (a view, an on-demand view, a feature service) is protected when a permission of its project that requires tags covers
/// it. A caller may use an object for an action when it is an admin or a service (an admin could change the permissions
/// anyway); or a permission covers the object, grants the action and names one of its roles; or one of its built-in roles
/// allows the action and the object is not protected.
/// A feature carries its view's tags with its own laid over them, so one feature of a view can be protected alone. Derived
/// data inherits: an on-demand feature is usable only when its view and every feature it reads are.
/// </summary>
public static class FeatureProtection
{
    public static bool IsProtected(ObjectKind kind, string name, IReadOnlyDictionary<string, string> tags,
        IReadOnlyList<PermissionDefinition> permissions) =>
        permissions.Any(p => p.RequiredTags.Count > 0 && p.Covers(kind, name, tags));

    public static bool MayUse(Principal principal, FeatureAction action, ObjectKind kind, string name,
        IReadOnlyDictionary<string, string> tags, IReadOnlyList<PermissionDefinition> permissions) =>
        principal.Holds(BuiltInRoles.Admin) || principal.Holds(BuiltInRoles.Service)
        || permissions.Any(p => p.Covers(kind, name, tags) && Grants(p, principal, action))
        || (principal.Roles.Any(role => BuiltInRoles.Grants(role, action)) && !IsProtected(kind, name, tags, permissions));

    /// <summary>Whether <paramref name="permission"/> gives <paramref name="action"/> to one of the caller's roles (on what it
    /// covers).</summary>
    public static bool Grants(PermissionDefinition permission, Principal principal, FeatureAction action) =>
        permission.Actions.Contains(action) && permission.Roles.Any(principal.Holds);

    /// <summary>Whether <paramref name="permission"/> covers everything in its project (no types, names or tags): what an
    /// operation on no one object (a list, an apply, a training) needs from a permission to let a role of the caller's own
    /// in.</summary>
    public static bool CoversProject(PermissionDefinition permission) =>
        permission.Types.Count == 0 && permission.NamePatterns.Count == 0 && permission.RequiredTags.Count == 0;

    /// <summary>Whether <paramref name="principal"/> may <paramref name="action"/> one feature of a view.</summary>
    public static bool MayUse(Principal principal, FeatureAction action, FeatureViewDefinition view, string feature,
        IReadOnlyList<PermissionDefinition> permissions) =>
        MayUse(principal, action, ObjectKind.FeatureView, view.Name, view.TagsOf(feature), permissions);

    /// <summary>Whether <paramref name="principal"/> may <paramref name="action"/> what an on-demand view computes: the view
    /// itself and every input it reads (<paramref name="inputView"/> answers the version of an input's view that is read).</summary>
    public static bool MayUse(Principal principal, FeatureAction action, OnDemandFeatureViewDefinition onDemand,
        Func<string, FeatureViewDefinition> inputView, IReadOnlyList<PermissionDefinition> permissions) =>
        MayUse(principal, action, ObjectKind.OnDemandFeatureView, onDemand.Name, onDemand.Metadata.Tags, permissions)
        && onDemand.Inputs.All(input => MayUse(principal, action, inputView(input.View), input.Feature, permissions));
}
