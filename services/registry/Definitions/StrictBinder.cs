using System.Collections;
using System.Text.Json;
using System.Text.Json.Nodes;
using FeatureStore.Api;

namespace FeatureStore.Registry.Definitions;

/// <summary>
/// Binds a JSON tree to a DTO strictly and reports every problem at once: unknown or misspelled keys
/// (with a suggestion), and values of the wrong kind, each with its path. The offending parts are then
/// cut out (unknown keys dropped, wrong values nulled) and the rest is bound, so that the checks after
/// binding can still report the other problems of the same file.
/// </summary>
public static class StrictBinder
{
    public static T? Bind<T>(JsonNode? node, JsonSerializerOptions options, List<FieldError> errors) where T : class
    {
        if (node is not JsonObject)
        {
            errors.Add(new FieldError(RepositoryDocument.BodyField,
                "must be an object (a mapping of project, entities, sources, featureViews, …)"));
            return null;
        }
        Walk(node, typeof(T), "", options, errors);
        return node.Deserialize<T>(options);
    }

    /// <summary>Checks a node against the type; false when the node itself has the wrong kind (the caller nulls it).</summary>
    private static bool Walk(JsonNode? node, Type type, string path, JsonSerializerOptions options, List<FieldError> errors)
    {
        if (node is null) return true; // every DTO member is nullable: absence is for the validators to judge
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type == typeof(JsonElement) || type == typeof(JsonNode) || type == typeof(object)) return true;
        var kind = node.GetValueKind();
        if (type == typeof(string)) return Expect(kind == JsonValueKind.String, "a string");
        if (type == typeof(bool)) return Expect(kind is JsonValueKind.True or JsonValueKind.False, "true or false");
        if (type == typeof(int) || type == typeof(long)) return Expect(kind == JsonValueKind.Number && IsIntegral(node), "a whole number");
        if (type == typeof(double) || type == typeof(float) || type == typeof(decimal))
            return Expect(kind == JsonValueKind.Number, "a number");

        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Dictionary<,>))
        {
            if (!Expect(kind == JsonValueKind.Object, "an object")) return false;
            var map = node.AsObject();
            foreach (var (key, value) in map.ToList())
            {
                if (AsText(value, type.GetGenericArguments()[1]) is { } text) map[key] = text;
                if (!Walk(map[key], type.GetGenericArguments()[1], Join(path, key), options, errors)) map.Remove(key);
            }
            return true;
        }
        if (typeof(IEnumerable).IsAssignableFrom(type) && type.IsGenericType)
        {
            if (!Expect(kind == JsonValueKind.Array, "a list")) return false;
            var items = node.AsArray();
            for (var i = 0; i < items.Count; i++)
            {
                if (AsText(items[i], type.GetGenericArguments()[0]) is { } text) items[i] = text;
                if (!Walk(items[i], type.GetGenericArguments()[0], $"{path}[{i}]", options, errors)) items[i] = null;
            }
            return true;
        }

        if (!Expect(kind == JsonValueKind.Object, "an object")) return false;
        var properties = options.GetTypeInfo(type).Properties;
        var obj = node.AsObject();
        foreach (var (key, value) in obj.ToList())
        {
            var property = properties.FirstOrDefault(p => string.Equals(p.Name, key, StringComparison.OrdinalIgnoreCase));
            if (property is null)
            {
                var suggestion = properties.Select(p => p.Name).MinBy(name => Distance(name, key));
                var hint = suggestion is not null && Distance(suggestion, key) <= Math.Max(2, key.Length / 3)
                    ? $"; did you mean '{suggestion}'?"
                    : "";
                errors.Add(new FieldError(Join(path, key),
                    $"is not a known field (known: {string.Join(", ", properties.Select(p => p.Name))}){hint}"));
                obj.Remove(key);
                continue;
            }
            if (AsText(value, property.PropertyType) is { } text) obj[key] = text;
            if (!Walk(obj[key], property.PropertyType, Join(path, property.Name), options, errors)) obj[key] = null;
        }
        return true;

        bool Expect(bool ok, string what)
        {
            if (!ok) errors.Add(new FieldError(path.Length == 0 ? RepositoryDocument.BodyField : path,
                $"must be {what}, not {Describe(kind)}"));
            return ok;
        }
    }

    /// <summary>
    /// A number or boolean where text is expected is taken as its text, as YAML users write it
    /// (<c>ttl: 0</c>, <c>pii: false</c>); if that text is still wrong, the field's own rule says so.
    /// </summary>
    private static JsonNode? AsText(JsonNode? node, Type type) =>
        type == typeof(string) && node is JsonValue value
            && value.GetValueKind() is JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False
            ? JsonValue.Create(value.ToJsonString())
            : null;

    private static bool IsIntegral(JsonNode node) =>
        node.AsValue().TryGetValue(out long _)
            || (node.AsValue().TryGetValue(out double d) && Math.Abs(d % 1) < double.Epsilon && Math.Abs(d) < 9e15);

    private static string Join(string path, string key) => path.Length == 0 ? key : $"{path}.{key}";

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "a list",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "null",
    };

    /// <summary>Edit distance, case-insensitive, for "did you mean" hints.</summary>
    private static int Distance(string a, string b)
    {
        a = a.ToLowerInvariant();
        b = b.ToLowerInvariant();
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var current = new int[b.Length + 1];
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            previous = current;
        }
        return previous[b.Length];
    }
}
