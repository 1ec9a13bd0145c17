using FeatureStore.Domain;

namespace FeatureStore.Registry.Endpoints.Objects;

/// <summary>The discovery filters of every list: tag, owner, entity, and text over names and descriptions.</summary>
public static class ObjectFilters
{
    public static bool Matches(IRegistryDefinition definition, ObjectListRequest filter,
        IReadOnlyDictionary<string, FeatureViewDefinition> views)
    {
        if (filter.Owner is { } owner && !string.Equals(definition.Metadata.Owner, owner, StringComparison.OrdinalIgnoreCase)) return false;
        if (filter.Tag is { } tag)
        {
            var parts = tag.Split(':', 2);
            if (!definition.Metadata.HasTag(parts[0], parts.Length == 2 ? parts[1] : null)) return false;
        }
        if (filter.Entity is { } entity && !Entities(definition, views).Contains(entity)) return false;
        return filter.Q is not { Length: > 0 } q || Text(definition).Any(t => t?.Contains(q, StringComparison.OrdinalIgnoreCase) == true);
    }

    /// <summary>The entities an object describes: itself, a view's entities, or those of the views it uses.</summary>
    public static IEnumerable<string> Entities(IRegistryDefinition definition,
        IReadOnlyDictionary<string, FeatureViewDefinition> views) => definition switch
        {
            EntityDefinition entity => [entity.Name],
            FeatureViewDefinition view => view.Entities.Select(e => e.Name),
            OnDemandFeatureViewDefinition onDemand =>
                onDemand.Sources.SelectMany(s => views.TryGetValue(s, out var v) ? v.Entities.Select(e => e.Name) : []),
            FeatureServiceDefinition service => service.Features.Select(f => f.View).Distinct()
                .SelectMany(v => views.TryGetValue(v, out var view) ? view.Entities.Select(e => e.Name) : []),
            _ => [],
        };

    private static IEnumerable<string?> Text(IRegistryDefinition definition)
    {
        yield return definition.Name;
        yield return definition.Metadata.Description;
        var features = definition switch
        {
            FeatureViewDefinition view => view.Features.SelectMany(f => new[] { f.Name, f.Description }),
            OnDemandFeatureViewDefinition onDemand => onDemand.Features.SelectMany(f => new[] { f.Name, f.Description }),
            FeatureServiceDefinition service => service.Features.Select(f => f.Feature),
            _ => [],
        };
        foreach (var text in features) yield return text;
    }
}
