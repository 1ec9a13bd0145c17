using FeatureStore.Api;
using FeatureStore.Contracts;
using FeatureStore.Domain;

namespace FeatureStore.Registry.Definitions;

/// <summary>
/// The objects of one repository file, each checked on its own and kept with its path. Objects that are
/// named but invalid are remembered as broken, so references to them raise no second, misleading error.
/// </summary>
public sealed class FileSpecs
{
    public List<(IRegistryDefinition Definition, string Path)> Objects { get; } = [];
    public HashSet<(ObjectKind Kind, string Name)> Broken { get; } = [];

    public static FileSpecs Read(string project, RepositoryDto document, List<FieldError> errors)
    {
        var specs = new FileSpecs();
        var builder = new SpecBuilder(project, errors);
        specs.Add(ObjectKind.Entity, document.Entities, (dto, path) => builder.Entity(dto, path), d => d?.Name, errors);
        specs.Add(ObjectKind.DataSource, document.Sources, (dto, path) => builder.Source(dto, path), d => d?.Name, errors);
        specs.Add(ObjectKind.FeatureView, document.FeatureViews, (dto, path) => builder.View(dto, path), d => d?.Name, errors);
        specs.Add(ObjectKind.OnDemandFeatureView, document.OnDemandFeatureViews,
            (dto, path) => builder.OnDemand(dto, path), d => d?.Name, errors);
        specs.Add(ObjectKind.FeatureService, document.FeatureServices, (dto, path) => builder.Service(dto, path), d => d?.Name, errors);
        specs.Add(ObjectKind.Permission, document.Permissions, (dto, path) => builder.Permission(dto, path), d => d?.Name, errors);

        // Feature references name views and on-demand views alike, so the two kinds share one namespace.
        var views = (document.FeatureViews ?? []).Select((v, i) => (v?.Name, i)).Where(v => v.Name is not null).ToList();
        for (var i = 0; i < (document.OnDemandFeatureViews?.Count ?? 0); i++)
            if (document.OnDemandFeatureViews![i]?.Name is { } name
                && views.FirstOrDefault(v => v.Name == name) is { Name: not null } clash)
                errors.Add(new FieldError($"onDemandFeatureViews[{i}].name",
                    $"'{name}' is also the name of featureViews[{clash.i}]; feature references need one meaning"));
        return specs;
    }

    private void Add<TDto>(ObjectKind kind, IReadOnlyList<TDto?>? items, Func<TDto?, string, IRegistryDefinition?> build,
        Func<TDto?, string?> nameOf,
        List<FieldError> errors) where TDto : class
    {
        var collection = kind.CollectionName();
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < (items?.Count ?? 0); i++)
        {
            var path = $"{collection}[{i}]";
            var name = nameOf(items![i]);
            if (name is not null && seen.TryGetValue(name, out var first))
            {
                errors.Add(new FieldError($"{path}.name",
                    $"'{name}' is already defined at {collection}[{first}]; names are unique per kind"));
                continue;
            }
            if (name is not null) seen[name] = i;
            if (build(items[i], path) is { } definition) Objects.Add((definition, path));
            else if (name is not null) Broken.Add((kind, name));
        }
    }
}
