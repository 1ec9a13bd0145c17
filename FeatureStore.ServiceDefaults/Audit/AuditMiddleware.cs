using System.Diagnostics;
using FastEndpoints;
using FeatureStore.Api.Security;
using FeatureStore.Domain.Security;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Hosting;

namespace FeatureStore.Api.Audit;

/// <summary>
/// Writes the audit record of a request once it has been answered, stamped with that time (outside every other middleware,
/// so the status is the final one); nothing is done before the request runs. Audited: every refusal (401, 403), every
/// change (an operation whose action changes definitions, data pipelines, models or keys: create, update, delete,
/// materialize, train, admin — not reads of them), and every request whose handler left <see cref="AuditNotes"/> (an
/// apply's objects, a read of protected features). Everything else passes with a few field reads.
/// </summary>
public sealed class AuditMiddleware(RequestDelegate next, AuditTrail trail, IHostEnvironment environment, TimeProvider clock)
{
    private readonly string _service = environment.ApplicationName.Replace("FeatureStore.", "", StringComparison.Ordinal)
        .ToLowerInvariant();

    public async Task InvokeAsync(HttpContext http)
    {
        await next(http);
        var status = StatusOf(http);
        var endpoint = http.GetEndpoint();
        var definition = endpoint?.Metadata.GetMetadata<EndpointDefinition>();
        var notes = AuditNotes.Find(http);
        // Not a FastEndpoints operation (a gRPC call): audited when refused or when its handler asked (protected features read).
        if (definition is null && status is not (401 or 403) && notes is not { Audited: true }) return;
        var action = definition is null ? FeatureAction.Internal : AccessCheck.ActionOf(definition.EndpointType);
        var changes = IsChange(action) && !HttpMethods.IsGet(http.Request.Method) && !HttpMethods.IsHead(http.Request.Method);
        if (status is not (401 or 403) && !changes && notes is not { Audited: true }) return;
        trail.Record(Record(http, (endpoint as RouteEndpoint)?.RoutePattern.RawText, status, action, notes));
    }

    /// <summary>The status the caller got: a gRPC call answers HTTP 200 and says its own status in <c>grpc-status</c> (a header
    /// when nothing else was sent, else a trailer), told here as the HTTP status of the same refusal.</summary>
    private static int StatusOf(HttpContext http)
    {
        var grpc = http.Response.Headers["grpc-status"] is [{ } inHeaders] ? inHeaders
            : http.Features.Get<IHttpResponseTrailersFeature>()?.Trailers["grpc-status"] is [{ } inTrailers] ? inTrailers : null;
        return grpc is null ? http.Response.StatusCode
            : int.TryParse(grpc, out var code) ? GrpcStatuses.ToHttp(code) : StatusCodes.Status500InternalServerError;
    }

    private static bool IsChange(FeatureAction action) => action is FeatureAction.Create or FeatureAction.Update
        or FeatureAction.Delete or FeatureAction.Materialize or FeatureAction.Train or FeatureAction.Admin;

    private AuditRecord Record(HttpContext http, string? route, int status, FeatureAction action, AuditNotes? notes)
    {
        var principal = http.PrincipalOf();
        var (who, kind) = principal is not null ? (principal.Id, principal.Kind.ToString())
            : ApiKeySecret.TryReadId(Credentials.Read(http.Request).Text, out var id) ? (id, "unverifiedKey")
            : ("anonymous", "none");
        route ??= http.Request.Path.Value ?? "";
        var objects = notes is { Objects.Count: > 0 } ? notes.Objects : RouteObjects(http);
        var project = notes?.Project ?? (http.Request.RouteValues.TryGetValue("project", out var p) ? p as string : null)
            ?? http.Request.Query["project"].FirstOrDefault();
        return new AuditRecord(clock.GetUtcNow(), who, kind, http.Connection.RemoteIpAddress?.ToString(), _service,
            notes?.Action ?? AccessRules.ActionName(action), $"{http.Request.Method} /{route.TrimStart('/')}", project,
            objects, notes?.Features ?? [], notes?.EntityRows, AuditOutcome.Of(status), status,
            // The request's activity is current again after the await; its trace id is made text for audited requests only.
            Activity.Current?.TraceId.ToHexString(), notes?.Detail);
    }

    /// <summary>What a route names (<c>name=customer_profile</c>, <c>id=…</c>), when the handler named nothing itself.</summary>
    private static List<string> RouteObjects(HttpContext http) =>
        http.Request.RouteValues.Where(v => v.Key is not ("project" or "action" or "controller") && v.Value is string)
            .Select(v => $"{v.Key}={v.Value}").ToList();
}
