using FastEndpoints;
using FeatureStore.Api;
using Microsoft.AspNetCore.Mvc.ApiExplorer;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Mends what FastEndpoints routes reach the OpenAPI document without: their path parameters, their query parameters
/// (from <see cref="RequestShapes.DeclaredQuery"/>, the list the server enforces) and the problem answers every
/// operation can give (400 for a malformed request, 401/403/429 for a caller refused, 503 for a dependency down or a
/// timeout; 413 and 415 where there is a body); names the action access control checks (<c>x-featurestore-action</c>); and
/// drops the bogus body of a GET.
/// </summary>
internal static class OpenApiRoutes
{
    public static async Task DescribeAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken ct)
    {
        var description = context.Description;
        var path = description.RelativePath ?? "";
        operation.Parameters ??= [];
        foreach (var name in RouteParameterNames(path))
            if (!operation.Parameters.Any(p => p.Name == name && p.In == ParameterLocation.Path))
                operation.Parameters.Add(new OpenApiParameter
                {
                    Name = name, In = ParameterLocation.Path, Required = true,
                    Schema = new OpenApiSchema { Type = JsonSchemaType.String },
                });
        var metadata = description.ActionDescriptor.EndpointMetadata;
        if (metadata.OfType<EndpointDefinition>().FirstOrDefault() is { } definition)
        {
            // What a caller's roles must allow (docs/architecture.md, who may call): read by people and by the access matrix test.
            operation.Extensions ??= new Dictionary<string, IOpenApiExtension>();
            var action = FeatureStore.Api.Security.AccessCheck.ActionOf(definition.EndpointType);
            operation.Extensions["x-featurestore-action"] = new JsonNodeExtension(System.Text.Json.Nodes.JsonValue.Create(
                FeatureStore.Domain.Security.AccessRules.ActionName(action)));
            foreach (var (name, type) in RequestShapes.DeclaredQuery(definition.ReqDtoType, metadata))
                if (!operation.Parameters.Any(p => p.Name == name && p.In == ParameterLocation.Query))
                    operation.Parameters.Add(new OpenApiParameter
                    {
                        Name = name, In = ParameterLocation.Query, Schema = new OpenApiSchema { Type = SchemaType(type) },
                    });
        }
        var takesBody = description.HttpMethod is not ("GET" or "DELETE" or "HEAD");
        if (!takesBody) operation.RequestBody = null;

        var problem = await context.GetOrCreateSchemaAsync(typeof(ProblemDocument), cancellationToken: ct);
        operation.Responses ??= [];
        foreach (var (status, reason) in ProblemAnswers(takesBody))
            operation.Responses.TryAdd(status, new OpenApiResponse
            {
                Description = reason,
                Content = new Dictionary<string, OpenApiMediaType> { ["application/problem+json"] = new() { Schema = problem } },
            });
    }

    private static IEnumerable<(string, string)> ProblemAnswers(bool takesBody)
    {
        yield return ("400", "Bad Request: the problem names each field at fault");
        yield return ("401", "Unauthorized: no credential, or one that is unknown, revoked or expired");
        yield return ("403", "Forbidden: the caller's roles do not allow this action in this project");
        yield return ("429", "Too Many Requests: over the caller's rate limit (Retry-After)");
        if (takesBody)
        {
            yield return ("413", "Content Too Large");
            yield return ("415", "Unsupported Media Type");
        }
        yield return ("503", "Service Unavailable: a dependency is down (named, with Retry-After) or the request ran past its time");
    }

    private static JsonSchemaType SchemaType(Type type) => (Nullable.GetUnderlyingType(type) ?? type) switch
    {
        var t when t == typeof(bool) => JsonSchemaType.Boolean,
        var t when t == typeof(int) || t == typeof(long) => JsonSchemaType.Integer,
        _ => JsonSchemaType.String,
    };

    private static IEnumerable<string> RouteParameterNames(string path)
    {
        for (var start = path.IndexOf('{'); start >= 0; start = path.IndexOf('{', start + 1))
        {
            var end = path.IndexOf('}', start);
            if (end < 0) yield break;
            yield return path[(start + 1)..end].Split(':', '=', '?')[0];
        }
    }
}
