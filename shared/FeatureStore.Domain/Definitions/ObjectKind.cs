namespace FeatureStore.Domain;

/// <summary>The kinds of objects the registry keeps, each named per project and versioned.</summary>
public enum ObjectKind
{
    Entity,
    DataSource,
    FeatureView,
    OnDemandFeatureView,
    FeatureService,
    Permission,
}

public static class ObjectKinds
{
    public static readonly IReadOnlyList<ObjectKind> All = Enum.GetValues<ObjectKind>();

    /// <summary>The name in messages, ETags and storage: <c>featureView</c>.</summary>
    public static string ToName(this ObjectKind kind) => kind switch
    {
        ObjectKind.Entity => "entity",
        ObjectKind.DataSource => "dataSource",
        ObjectKind.FeatureView => "featureView",
        ObjectKind.OnDemandFeatureView => "onDemandFeatureView",
        ObjectKind.FeatureService => "featureService",
        ObjectKind.Permission => "permission",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    public static bool TryParse(string? name, out ObjectKind kind)
    {
        foreach (var candidate in All)
            if (string.Equals(candidate.ToName(), name, StringComparison.OrdinalIgnoreCase)) { kind = candidate; return true; }
        kind = default;
        return false;
    }

    /// <summary>The list holding this kind in a repository document: <c>featureViews</c>.</summary>
    public static string CollectionName(this ObjectKind kind) => kind switch
    {
        ObjectKind.Entity => "entities",
        ObjectKind.DataSource => "sources",
        ObjectKind.FeatureView => "featureViews",
        ObjectKind.OnDemandFeatureView => "onDemandFeatureViews",
        ObjectKind.FeatureService => "featureServices",
        ObjectKind.Permission => "permissions",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    /// <summary>The HTTP route segment: <c>feature-views</c>.</summary>
    public static string RouteSegment(this ObjectKind kind) => kind switch
    {
        ObjectKind.Entity => "entities",
        ObjectKind.DataSource => "data-sources",
        ObjectKind.FeatureView => "feature-views",
        ObjectKind.OnDemandFeatureView => "on-demand-feature-views",
        ObjectKind.FeatureService => "feature-services",
        ObjectKind.Permission => "permissions",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };
}
