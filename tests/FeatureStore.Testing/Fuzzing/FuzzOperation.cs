using System.Text.Json;

namespace FeatureStore.Testing.Fuzzing;

/// <summary>One operation of the OpenAPI document, as much as a fuzzer needs to call it with valid-shaped input.</summary>
public sealed record FuzzOperation(string Method, string Template, IReadOnlyList<string> PathParameters,
    IReadOnlyList<(string Name, string Type)> QueryParameters, JsonElement? BodySchema, IReadOnlyList<string> MediaTypes)
{
    public override string ToString() => $"{Method} {Template}";

    /// <summary>Every operation of a document (OpenAPI 3.1 as ASP.NET writes it).</summary>
    public static IReadOnlyList<FuzzOperation> Read(JsonElement document)
    {
        var operations = new List<FuzzOperation>();
        foreach (var path in document.GetProperty("paths").EnumerateObject())
            foreach (var method in path.Value.EnumerateObject())
            {
                var pathParameters = new List<string>();
                var query = new List<(string, string)>();
                if (method.Value.TryGetProperty("parameters", out var parameters))
                    foreach (var parameter in parameters.EnumerateArray())
                    {
                        var name = parameter.GetProperty("name").GetString()!;
                        var type = parameter.TryGetProperty("schema", out var schema) && schema.TryGetProperty("type", out var t)
                            ? t.ToString() : "string";
                        if (parameter.GetProperty("in").GetString() == "path") pathParameters.Add(name);
                        else if (parameter.GetProperty("in").GetString() == "query") query.Add((name, type));
                    }
                JsonElement? body = null;
                var mediaTypes = new List<string>();
                if (method.Value.TryGetProperty("requestBody", out var requestBody)
                && requestBody.TryGetProperty("content", out var content))
                    foreach (var media in content.EnumerateObject())
                    {
                        mediaTypes.Add(media.Name);
                        if (media.Value.TryGetProperty("schema", out var schema)) body ??= schema;
                    }
                operations.Add(new FuzzOperation(method.Name.ToUpperInvariant(), path.Name, pathParameters, query, body, mediaTypes));
            }
        return operations;
    }
}
