using System.Collections.Concurrent;
using System.Reflection;
using FastEndpoints;
using FluentValidation.Results;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.Net.Http.Headers;

namespace FeatureStore.Api;

/// <summary>
/// The query parameters an endpoint that reads its own request (no <c>[QueryParam]</c> DTO) accepts; endpoint metadata.
/// </summary>
public sealed class QueryParameters(params string[] names)
{
    public IReadOnlyList<string> Names { get; } = names;
}

/// <summary>
/// The body size an endpoint accepts when it is not the configured default; endpoint metadata. Null: the endpoint sets
/// its own limit from its configuration before it reads the body (uploads).
/// </summary>
public sealed class BodyLimit(long? bytes) : IRequestSizeLimitMetadata
{
    public static readonly BodyLimit SetByEndpoint = new(null);

    public long? MaxRequestBodySize { get; } = bytes;
}

/// <summary>
/// Checks what a request is shaped like before FastEndpoints binds it, because the binder is lenient where a client's
/// mistake must be a refusal: it binds any query parameter onto any property of the same name (so <c>?project=</c>
/// overrode a body field and skipped its validation), and reads a body whose <c>Content-Type</c> it cannot parse as no
/// body at all (so an invalid body ran the request with defaults). Here: only declared query parameters, each once
/// (400 naming it); a body only where the operation takes one, with exactly one media type it accepts (415 naming
/// <c>Content-Type</c>), JSON in UTF-8; never more than the endpoint's body limit (413).
/// </summary>
public sealed class RequestShapes(RequestDelegate next, long defaultBodyLimit)
{
    private static readonly ConcurrentDictionary<Endpoint, Shape> Shapes = new();

    public async Task InvokeAsync(HttpContext http)
    {
        if (http.GetEndpoint() is not { } endpoint || endpoint.Metadata.GetMetadata<EndpointDefinition>() is not { } definition)
        {
            await next(http);
            return;
        }
        var shape = Shapes.GetOrAdd(endpoint, e => Shape.Of(e, definition));
        var refusal = QueryErrors(http.Request.Query, shape) is { Count: > 0 } query ? (400, query) : BodyRefusal(http, shape);
        if (refusal is var (status, errors))
        {
            await http.Response.SendErrorsAsync(errors, status);
            return;
        }
        await next(http);
    }

    private static List<ValidationFailure> QueryErrors(IQueryCollection query, Shape shape)
    {
        var errors = new List<ValidationFailure>();
        foreach (var (name, values) in query)
            if (!shape.QueryNames.Contains(name))
                errors.Add(new(name, shape.QueryNames.Count == 0 ? "is not a query parameter: this operation takes none"
                    : $"is not a query parameter of this operation (it takes {string.Join(", ", shape.QueryNames.Order())})"));
            else if (values.Count > 1)
                errors.Add(new(name, $"is given {values.Count} times; give it once"));
        return errors;
    }

    private (int, List<ValidationFailure>)? BodyRefusal(HttpContext http, Shape shape)
    {
        var request = http.Request;
        var hasBody = request.ContentLength > 0
                      || (request.ContentLength is null && http.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody == true);
        // Without this the binder answers an empty 415 (no problem) when neither a body nor a Content-Type came.
        if (!hasBody)
            return shape.TakesBody && shape.MediaTypes.Contains("application/json") && !shape.MediaTypes.Contains("*/*")
                ? (400, [new("body", "is missing: this operation takes a JSON object ({} for every default)")]) : null;
        if (!shape.TakesBody)
            return (400, [new("body", $"{request.Method} {shape.Route} takes no body")]);
        if ((shape.BodyLimit is null ? defaultBodyLimit : shape.BodyLimit.MaxRequestBodySize) is { } limit)
        {
            if (request.ContentLength > limit)
                return (413, [new("body", $"is {request.ContentLength} bytes; this operation takes at most {limit}")]);
            if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size) size.MaxRequestBodySize = limit;
        }
        // No media types: the endpoint reads and checks its own body; */*: it reads none.
        if (shape.MediaTypes.Count == 0 || shape.MediaTypes.Contains("*/*")) return null;
        var contentType = request.Headers.ContentType;
        if (contentType.Count != 1 || !MediaTypeHeaderValue.TryParse(contentType[0], out var media)
            || !shape.MediaTypes.Any(accepted => Matches(media, accepted)))
            return (415, [new("Content-Type", $"must be one of {string.Join(", ", shape.MediaTypes)}, " +
                $"not '{(contentType.Count == 0 ? "none" : contentType.ToString())}'")]);
        if (IsJson(media) && media.Charset is { Length: > 0 } charset && !charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase))
            return (415, [new("Content-Type", $"JSON is read as utf-8, not {charset}")]);
        return null;
    }

    private static bool Matches(MediaTypeHeaderValue media, string accepted) =>
        media.MediaType.Equals(accepted, StringComparison.OrdinalIgnoreCase)
        || (accepted == "application/json" && IsJson(media));

    private static bool IsJson(MediaTypeHeaderValue media) =>
        media.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
        || (media.MediaType.StartsWith("application/", StringComparison.OrdinalIgnoreCase)
            && media.MediaType.EndsWith("+json", StringComparison.OrdinalIgnoreCase));

    /// <summary>What one endpoint takes, read once from its request type and metadata.</summary>
    private sealed record Shape(string Route, IReadOnlySet<string> QueryNames, bool TakesBody, IReadOnlyList<string> MediaTypes,
        IRequestSizeLimitMetadata? BodyLimit)
    {
        public static Shape Of(Endpoint endpoint, EndpointDefinition definition)
        {
            var metadata = endpoint.Metadata;
            var names = DeclaredQuery(definition.ReqDtoType, metadata).Select(p => p.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
            var methods = metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? [];
            var takesBody = !methods.Any(m => m is "GET" or "HEAD" or "DELETE");
            var mediaTypes = metadata.GetOrderedMetadata<IAcceptsMetadata>().SelectMany(a => a.ContentTypes).Distinct().ToList();
            var route = (endpoint as RouteEndpoint)?.RoutePattern.RawText ?? endpoint.DisplayName ?? "";
            return new Shape("/" + route.TrimStart('/'), names, takesBody, mediaTypes,
                metadata.GetMetadata<IRequestSizeLimitMetadata>());
        }

    }

    /// <summary>
    /// The query parameters an operation takes, with their types: the request type's <c>[QueryParam]</c> (or
    /// <c>[BindFrom]</c>) properties and any <see cref="QueryParameters"/> metadata (as text). What this refuses the
    /// OpenAPI document describes, from this same list.
    /// </summary>
    public static IReadOnlyList<(string Name, Type Type)> DeclaredQuery(Type requestType, IEnumerable<object> metadata)
    {
        var declared = new List<(string, Type)>();
        foreach (var property in requestType.GetProperties(BindingFlags.Public | BindingFlags.Instance))
            if (property.GetCustomAttribute<BindFromAttribute>() is { } bindFrom) declared.Add((bindFrom.Name, property.PropertyType));
            else if (property.IsDefined(typeof(QueryParamAttribute))) declared.Add((CamelCase(property.Name), property.PropertyType));
        foreach (var parameters in metadata.OfType<QueryParameters>()) declared.AddRange(parameters.Names.Select(n => (n, typeof(string))));
        return declared;
    }

    private static string CamelCase(string name) => char.ToLowerInvariant(name[0]) + name[1..];
}

/// <summary>The size of a request body an endpoint takes unless it declares its own <see cref="BodyLimit"/>.</summary>
public static class RequestLimits
{
    /// <summary>16 MiB: a push of 100,000 rows, or a repository of thousands of definitions, fits with room to spare.</summary>
    public const long DefaultBodyBytes = 16L * 1024 * 1024;
}
