namespace FeatureStore.Domain.Security;

/// <summary>A request that names the project it acts in (absent: the default project). Access is checked against it before
/// the request is handled.</summary>
public interface IProjectScoped
{
    string? Project { get; }
}

/// <summary>A request about one object of its project (a view to materialize, say): a permission that covers that object can
/// grant the action to a role of the caller's own (<see cref="FeatureProtection.Grants"/>).</summary>
public interface IObjectScoped : IProjectScoped
{
    ObjectKind ObjectKind { get; }
    string ObjectName { get; }
}

/// <summary>A request that reads features: each feature it selects is checked on its own (<see cref="FeatureProtection"/>), so a
/// permission over some features lets a role of the caller's own past the project-level check.</summary>
public interface IFeatureReading
{
    /// <summary>Stands for a read of features whose request is not an object of its own (one read as a stream).</summary>
    static readonly IFeatureReading Marker = new Read();

    private sealed class Read : IFeatureReading;
}
