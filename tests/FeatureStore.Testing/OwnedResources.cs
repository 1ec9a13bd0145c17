namespace FeatureStore.Testing;

/// <summary>What one test starts and must stop (services, servers, isolated backends), stopped last first, and the data
/// directory its services share, removed at the end.</summary>
public sealed class OwnedResources(string name) : IAsyncDisposable
{
    private readonly List<IAsyncDisposable> _owned = [];

    public string DataDirectory { get; } = Path.Combine(Path.GetTempPath(), $"fs-{name}-{Guid.NewGuid():N}");

    public T Own<T>(T resource) where T : IAsyncDisposable
    {
        _owned.Add(resource);
        return resource;
    }

    public async ValueTask DisposeAsync()
    {
        for (var i = _owned.Count - 1; i >= 0; i--) await _owned[i].DisposeAsync();
        try { Directory.Delete(DataDirectory, recursive: true); } catch (IOException) { }
    }
}
