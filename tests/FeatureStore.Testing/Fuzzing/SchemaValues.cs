using System.Text.Json;
using System.Text.Json.Nodes;

namespace FeatureStore.Testing.Fuzzing;

/// <summary>
/// Valid-shaped values for a JSON schema of the document: objects with a random subset of their properties, strings
/// drawn from the vocabulary (names, feature references, instants the server knows) so that many requests get past
/// the first check, numbers both plausible and edge.
/// </summary>
public sealed class SchemaValues(JsonElement document, Random random, IReadOnlyList<string> vocabulary)
{
    private const int MaxDepth = 6;

    public JsonNode? For(JsonElement schema, int depth = 0)
    {
        if (schema.TryGetProperty("$ref", out var reference)) return For(Resolve(reference.GetString()!), depth);
        if (schema.TryGetProperty("enum", out var values) && values.GetArrayLength() > 0)
            return JsonNode.Parse(values[random.Next(values.GetArrayLength())].GetRawText());
        var type = TypeOf(schema);
        if (depth > MaxDepth) return null;
        return type switch
        {
            "object" => Object(schema, depth),
            "array" => Array(schema, depth),
            "integer" => JsonValue.Create(Pick([0L, 1L, 2L, 7L, 17L, 100L, -1L, long.MaxValue, random.Next(1, 1000)])),
            "number" => JsonValue.Create(Pick([0.0, 0.5, 1.0, -3.25, 1e300, random.NextDouble()])),
            "boolean" => JsonValue.Create(random.Next(2) == 0),
            "null" => null,
            _ => JsonValue.Create(Word()),
        };
    }

    public string Word() => vocabulary[random.Next(vocabulary.Count)];

    private JsonObject Object(JsonElement schema, int depth)
    {
        var result = new JsonObject();
        if (schema.TryGetProperty("properties", out var properties))
            foreach (var property in properties.EnumerateObject())
                if (random.Next(4) != 0) result[property.Name] = For(property.Value, depth + 1);
        if (schema.TryGetProperty("additionalProperties", out var extra) && extra.ValueKind == JsonValueKind.Object)
            for (var i = random.Next(3); i > 0; i--) result[Word()] = For(extra, depth + 1);
        return result;
    }

    private JsonArray Array(JsonElement schema, int depth)
    {
        var result = new JsonArray();
        var items = schema.TryGetProperty("items", out var i) ? i : default;
        for (var n = random.Next(4); n > 0; n--)
            result.Add(items.ValueKind == JsonValueKind.Object ? For(items, depth + 1) : JsonValue.Create(random.Next(1, 50)));
        return result;
    }

    private string TypeOf(JsonElement schema)
    {
        if (!schema.TryGetProperty("type", out var type)) return schema.TryGetProperty("properties", out _) ? "object" : "string";
        if (type.ValueKind == JsonValueKind.String) return type.GetString()!;
        var choices = type.EnumerateArray().Select(t => t.GetString()!).ToList();
        // Mostly the non-null choice: a null is one of the mutations anyway.
        var nonNull = choices.Where(c => c != "null").ToList();
        return nonNull.Count > 0 && random.Next(8) != 0 ? nonNull[random.Next(nonNull.Count)] : choices[random.Next(choices.Count)];
    }

    private JsonElement Resolve(string reference) =>
        reference.Split('/').Skip(1).Aggregate(document, (node, segment) => node.GetProperty(segment));

    private T Pick<T>(T[] choices) => choices[random.Next(choices.Length)];
}
