namespace FeatureStore.Domain.Security;

/// <summary>A request that names the project it acts in (absent: the default project). Access is checked against it before
/// the request is handled.</summary>
public interface IProjectScoped
{
    string? Project { get; }
}
