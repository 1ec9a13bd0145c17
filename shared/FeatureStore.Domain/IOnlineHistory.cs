namespace FeatureStore.Domain;

/// <summary>
/// A project whose online store materializations have written: since the first such run finished, and when the latest did
/// (what an online store that lost its data is measured against).
/// </summary>
public sealed record OnlineProject(string Project, DateTimeOffset FirstWrittenAt, DateTimeOffset LastWrittenAt);

/// <summary>What the registry knows of online writes (over HTTP from the registry, or from its store in one process).</summary>
public interface IOnlineHistory
{
    /// <summary>Every project a successful materialization wrote online keys for.</summary>
    Task<IReadOnlyList<OnlineProject>> OnlineProjectsAsync(CancellationToken cancellationToken);
}
