using System.Collections.Concurrent;
using FeatureStore.Domain;

namespace FeatureStore.FeatureApi.Infrastructure;

/// <summary>The registry is out of reach; requests needing a definition not yet cached get a 503.</summary>
public sealed class RegistryUnavailableException(Exception inner)
    : Exception($"the registry could not be reached: {inner.Message}", inner);

/// <summary>
/// Feature-view definitions held in memory. A definition is fetched from the registry once, on first
/// use; after that reads never leave the process. Events (<c>FeatureViewApplied</c>, materialization
/// completed) refresh entries. A miss is remembered briefly so unknown names cannot flood the registry.
/// </summary>
public sealed class FeatureViewCache(IServiceProvider services, TimeProvider clock)
{
    public static readonly TimeSpan MissRetention = TimeSpan.FromSeconds(5);

    private readonly ConcurrentDictionary<(string Project, string Name, int? Version), Entry> _entries = new();

    private sealed record Entry(Task<FeatureViewDefinition?> Lookup, DateTimeOffset LoadedAt);

    public async ValueTask<FeatureViewDefinition?> GetAsync(string project, string name, int? version, CancellationToken cancellationToken)
    {
        var key = (project, name, version);
        var entry = _entries.AddOrUpdate(key, Load, (k, old) => IsUsable(old) ? old : Load(k));
        try
        {
            return await entry.Lookup.WaitAsync(cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            _entries.TryRemove(KeyValuePair.Create(key, entry));
            throw new RegistryUnavailableException(e);
        }
    }

    /// <summary>Drops what is cached about a view (latest version and remembered misses) and reloads what was in use.</summary>
    public async Task RefreshAsync(string project, string name)
    {
        var stale = _entries.Keys.Where(k => k.Project == project && k.Name == name
            && (k.Version is null || !_entries.TryGetValue(k, out var e) || !e.Lookup.IsCompletedSuccessfully || e.Lookup.Result is null)).ToList();
        foreach (var key in stale) _entries.TryRemove(key, out _);
        if (stale.Contains((project, name, null))) await GetAsync(project, name, null, CancellationToken.None);
    }

    private bool IsUsable(Entry entry) =>
        !entry.Lookup.IsCompleted
        || (entry.Lookup.IsCompletedSuccessfully && (entry.Lookup.Result is not null || clock.GetUtcNow() - entry.LoadedAt < MissRetention));

    private Entry Load((string Project, string Name, int? Version) key) =>
        new(services.GetRequiredService<IFeatureViewCatalog>().FindAsync(key.Project, key.Name, key.Version, CancellationToken.None), clock.GetUtcNow());
}
