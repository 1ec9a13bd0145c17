namespace FeatureStore.Domain.Security;

/// <summary>
/// Feature-level protection, the one rule: an object (a view, an on-demand view, a feature service) is protected when a
/// permission of its project that requires tags covers it; using it then needs a permission that covers it, grants the action
/// and names one of the caller's roles. Admins and the services are exempt (an admin could change the permissions anyway).
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
        permissions.Count == 0 || principal.Holds(BuiltInRoles.Admin) || principal.Holds(BuiltInRoles.Service)
        || !IsProtected(kind, name, tags, permissions)
        || permissions.Any(p => p.Covers(kind, name, tags) && p.Actions.Contains(action) && p.Roles.Any(principal.Holds));

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
