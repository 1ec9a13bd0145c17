using System.Collections.Concurrent;
using FeatureStore.Api;
using FeatureStore.Domain;
using FeatureStore.Domain.Security;

namespace FeatureStore.FeatureApi.Infrastructure;

/// <summary>
/// Definitions held in memory (feature views, on-demand views, feature services, entities, and per
/// project the list of each kind). A definition is fetched from the registry once, on first use; after
/// that reads never leave the process. Events (<c>FeatureViewApplied</c>, <c>RegistryChanged</c>,
/// materialization completed) refresh entries. A miss is remembered briefly so unknown names cannot
/// flood the registry.
/// </summary>
public sealed class DefinitionCache(IServiceProvider services, TimeProvider clock) : IPermissionSource
{
    public static readonly TimeSpan MissRetention = TimeSpan.FromSeconds(5);

    private readonly ConcurrentDictionary<(string Project, ObjectKind Kind, string Name, int? Version),
        Entry<IRegistryDefinition?>> _objects = new();
    private readonly ConcurrentDictionary<(string Project, ObjectKind Kind), Entry<IReadOnlyList<IRegistryDefinition>>> _lists = new();

    private sealed record Entry<T>(Task<T> Lookup, DateTimeOffset LoadedAt);

    private readonly ConcurrentDictionary<string, long> _revisions = new();

    private long _generation;

    /// <summary>Changes whenever something cached may have changed; what was derived from definitions is reusable while it holds.</summary>
    public long Generation => Interlocked.Read(ref _generation);

    private IDefinitionCatalog Catalog => services.GetRequiredService<IDefinitionCatalog>();

    public async ValueTask<FeatureViewDefinition?> GetViewAsync(string project, string name, int? version,
        CancellationToken cancellationToken) =>
        (FeatureViewDefinition?)await GetAsync(project, ObjectKind.FeatureView, name, version, cancellationToken);

    public async ValueTask<T?> GetAsync<T>(string project, string name, int? version, CancellationToken cancellationToken)
        where T : class, IRegistryDefinition =>
        (T?)await GetAsync(project, KindOf<T>(), name, version, cancellationToken);

    public async ValueTask<IRegistryDefinition?> GetAsync(string project, ObjectKind kind, string name, int? version,
        CancellationToken cancellationToken)
    {
        var key = (project, kind, name, version);
        var entry = _objects.AddOrUpdate(key, Load, (k, old) => IsUsable(old) ? old : Load(k));
        return await AwaitAsync(entry, () => _objects.TryRemove(KeyValuePair.Create(key, entry)), cancellationToken);
    }

    /// <summary>Every live object of a kind in a project (the latest versions), cached until that project changes.</summary>
    public async ValueTask<IReadOnlyList<T>> ListAsync<T>(string project, CancellationToken cancellationToken) where T : IRegistryDefinition
    {
        var key = (project, KindOf<T>());
        var entry = _lists.GetOrAdd(key, k => new(Catalog.ListAsync(k.Project, k.Kind, CancellationToken.None), clock.GetUtcNow()));
        var all = await AwaitAsync(entry, () => _lists.TryRemove(KeyValuePair.Create(key, entry)), cancellationToken);
        return all.OfType<T>().ToList();
    }

    /// <summary>Access checks read permissions here too, not from the registry at each request.</summary>
    async ValueTask<IReadOnlyList<PermissionDefinition>> IPermissionSource.PermissionsAsync(string project,
        CancellationToken cancellationToken) => await ListAsync<PermissionDefinition>(project, cancellationToken);

    /// <summary>Drops what is cached about an object (latest version, remembered misses, the project's lists) and reloads what was in
    /// use.</summary>
    public async Task RefreshAsync(string project, ObjectKind kind, string name)
    {
        var stale = _objects.Keys.Where(k => k.Project == project && k.Kind == kind && k.Name == name
            && (k.Version is null || !_objects.TryGetValue(k, out var e)
                || !e.Lookup.IsCompletedSuccessfully || e.Lookup.Result is null)).ToList();
        foreach (var key in stale) _objects.TryRemove(key, out _);
        foreach (var list in _lists.Keys.Where(k => k.Project == project)) _lists.TryRemove(list, out _);
        // After the removal: a selection resolved from now on reads fresh definitions, one resolved before is dropped.
        Interlocked.Increment(ref _generation);
        if (stale.Contains((project, kind, name, null))) await GetAsync(project, kind, name, null, CancellationToken.None);
    }

    public Task RefreshViewAsync(string project, string name) => RefreshAsync(project, ObjectKind.FeatureView, name);

    /// <summary>Notes that everything cached of a project reflects revision <paramref name="revision"/> or later (a RegistryChanged was
    /// applied).</summary>
    public void Saw(string project, long revision) => _revisions.AddOrUpdate(project, revision, (_, known) => Math.Max(known, revision));

    /// <summary>
    /// Read-your-writes for readers that cannot serve an older definition (historical retrieval builds training sets): asks the
    /// registry for the project's revision and, when the cache has not caught up with it yet (its event is still on its way),
    /// drops everything cached of the project, so what is read next is what the registry holds now.
    /// </summary>
    public async Task CatchUpAsync(string project, CancellationToken cancellationToken)
    {
        long revision;
        try { revision = await Catalog.ProjectRevisionAsync(project, cancellationToken); }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw Unreachable(e);
        }
        if (revision <= _revisions.GetValueOrDefault(project)) return;
        foreach (var key in _objects.Keys.Where(k => k.Project == project)) _objects.TryRemove(key, out _);
        foreach (var key in _lists.Keys.Where(k => k.Project == project)) _lists.TryRemove(key, out _);
        Interlocked.Increment(ref _generation);
        Saw(project, revision);
    }

    private static async ValueTask<T> AwaitAsync<T>(Entry<T> entry, Action forget, CancellationToken cancellationToken)
    {
        try
        {
            return await entry.Lookup.WaitAsync(cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            forget();
            throw Unreachable(e);
        }
    }

    /// <summary>Every endpoint answers alike when the registry cannot be asked: a 503 problem naming it, never a 500.</summary>
    public static DependencyUnavailableException Unreachable(Exception e) =>
        new([new FieldError("registry", $"the registry could not be reached: {e.Message}")]);

    private static ObjectKind KindOf<T>() => typeof(T) switch
    {
        var t when t == typeof(FeatureViewDefinition) => ObjectKind.FeatureView,
        var t when t == typeof(OnDemandFeatureViewDefinition) => ObjectKind.OnDemandFeatureView,
        var t when t == typeof(FeatureServiceDefinition) => ObjectKind.FeatureService,
        var t when t == typeof(PermissionDefinition) => ObjectKind.Permission,
        var t when t == typeof(EntityDefinition) => ObjectKind.Entity,
        var t when t == typeof(DataSourceDefinition) => ObjectKind.DataSource,
        var t => throw new ArgumentException($"{t.Name} is not a registry definition"),
    };

    private bool IsUsable(Entry<IRegistryDefinition?> entry) =>
        !entry.Lookup.IsCompleted
        || (entry.Lookup.IsCompletedSuccessfully
            && (entry.Lookup.Result is not null || clock.GetUtcNow() - entry.LoadedAt < MissRetention));

    private Entry<IRegistryDefinition?> Load((string Project, ObjectKind Kind, string Name, int? Version) key) =>
        new(Catalog.FindAsync(key.Project, key.Kind, key.Name, key.Version, CancellationToken.None), clock.GetUtcNow());
}
