using FeatureStore.Domain;

namespace FeatureStore.Registry.Definitions;

/// <summary>
/// What the registry should hold after an apply: every object resolved, each with the path it came from
/// (<c>featureViews[2]</c> in the file, or <c>featureViews[name]</c> for an object kept from the registry).
/// </summary>
public sealed class DesiredState(string project)
{
    private readonly Dictionary<(ObjectKind Kind, string Name), (IRegistryDefinition Definition, string Path, bool InFile)> _objects = [];

    public string Project => project;

    public IEnumerable<(IRegistryDefinition Definition, string Path, bool InFile)> Objects => _objects.Values;

    public void Set(IRegistryDefinition definition, string path, bool inFile) =>
        _objects[(definition.Kind, definition.Name)] = (definition, path, inFile);

    public void Remove(ObjectKind kind, string name) => _objects.Remove((kind, name));

    public bool Contains(ObjectKind kind, string name) => _objects.ContainsKey((kind, name));

    public T? Get<T>(ObjectKind kind, string name) where T : class, IRegistryDefinition =>
        _objects.TryGetValue((kind, name), out var entry) ? entry.Definition as T : null;

    public string PathOf(ObjectKind kind, string name) =>
        _objects.TryGetValue((kind, name), out var entry) ? entry.Path : $"{kind.CollectionName()}[{name}]";

    public bool InFile(ObjectKind kind, string name) => _objects.TryGetValue((kind, name), out var entry) && entry.InFile;

    public IEnumerable<T> OfKind<T>(ObjectKind kind) where T : IRegistryDefinition =>
        _objects.Values.Where(o => o.Definition.Kind == kind).Select(o => (T)o.Definition);
}
