using System.Text.Json.Nodes;
using FeatureStore.Contracts;

namespace FeatureStore.Registry.Definitions;

/// <summary>
/// Field-level differences between two JSON definitions. Lists of named objects (features, join keys)
/// are matched by name, so a diff reads <c>features[purchases].type</c> rather than an index.
/// </summary>
public static class JsonDiff
{
    public static List<FieldChangeDto> Compare(JsonNode? before, JsonNode? after)
    {
        var changes = new List<FieldChangeDto>();
        Walk(before, after, "", changes);
        return changes;
    }

    private static void Walk(JsonNode? before, JsonNode? after, string path, List<FieldChangeDto> changes)
    {
        if (JsonNode.DeepEquals(before, after)) return;
        if (before is JsonObject oldObject && after is JsonObject newObject)
        {
            foreach (var key in oldObject.Select(p => p.Key).Union(newObject.Select(p => p.Key)))
                Walk(oldObject[key], newObject[key], path.Length == 0 ? key : $"{path}.{key}", changes);
            return;
        }
        if (before is JsonArray oldArray && after is JsonArray newArray)
        {
            if (NamesOf(oldArray) is { } oldNames && NamesOf(newArray) is { } newNames)
            {
                foreach (var name in oldNames.Keys.Union(newNames.Keys))
                    Walk(oldNames.GetValueOrDefault(name), newNames.GetValueOrDefault(name), $"{path}[{name}]", changes);
                return;
            }
            if (oldArray.Count == newArray.Count)
            {
                for (var i = 0; i < oldArray.Count; i++) Walk(oldArray[i], newArray[i], $"{path}[{i}]", changes);
                return;
            }
        }
        changes.Add(new FieldChangeDto(path, before?.DeepClone(), after?.DeepClone()));
    }

    /// <summary>The elements by their "name", when every element is an object with a distinct name.</summary>
    private static Dictionary<string, JsonNode>? NamesOf(JsonArray array)
    {
        var byName = new Dictionary<string, JsonNode>(StringComparer.Ordinal);
        foreach (var item in array)
            if (item is not JsonObject obj || obj["name"]?.GetValueKind() != System.Text.Json.JsonValueKind.String
                || !byName.TryAdd(obj["name"]!.GetValue<string>(), obj))
                return null;
        return byName;
    }
}
