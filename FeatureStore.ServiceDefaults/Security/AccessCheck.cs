using System.Collections.Concurrent;
using FastEndpoints;
using FeatureStore.Domain;
using FeatureStore.Domain.Security;
using Microsoft.AspNetCore.Http;

namespace FeatureStore.Api.Security;

/// <summary>
/// Runs before every endpoint's handler, once the request is bound: the caller's roles must allow the endpoint's
/// <see cref="AccessAttribute"/> action in the project the request names (the default project when it names none). A
/// request that names no project is checked for the action alone; its endpoint checks again with the project of what it
/// found (<see cref="Demand"/>). A refusal is a 403 problem naming <c>project</c> or the credential's header.
/// </summary>
public sealed class AccessCheck : IGlobalPreProcessor
{
    private static readonly ConcurrentDictionary<Type, FeatureAction> Actions = new();

    public Task PreProcessAsync(IPreProcessorContext context, CancellationToken ct)
    {
        var http = context.HttpContext;
        if (http.ResponseStarted()) return Task.CompletedTask;
        var endpoint = http.GetEndpoint()?.Metadata.GetMetadata<EndpointDefinition>();
        if (endpoint is null || endpoint.AnonymousVerbs?.Length > 0) return Task.CompletedTask;
        var action = ActionOf(endpoint.EndpointType);
        var project = context.Request is IProjectScoped scoped ? Names.ProjectOrDefault(scoped.Project) : null;
        var refusal = Refusal(http, action, project);
        return refusal is null ? Task.CompletedTask : RefuseUnlessGrantedAsync(http, context.Request, action, project, refusal, ct);
    }

    /// <summary><see cref="Demand"/>, letting in a caller a permission grants the action to (<see cref="GrantedAsync"/>) about
    /// <paramref name="request"/>.</summary>
    public static async Task DemandAsync(HttpContext http, FeatureAction action, string project, object? request, CancellationToken ct)
    {
        if (Refusal(http, action, project) is { } refusal && !await GrantedAsync(http, request, action, project, ct))
            throw new ForbiddenException([refusal]);
    }

    private static async Task RefuseUnlessGrantedAsync(HttpContext http, object? request, FeatureAction action, string? project,
        FieldError refusal, CancellationToken ct)
    {
        if (await GrantedAsync(http, request, action, project, ct)) return;
        Audit.AuditNotes.Of(http).Project = project;
        await AuthProblems.WriteAsync(http, StatusCodes.Status403Forbidden, refusal);
    }

    /// <summary>
    /// Whether a permission of <paramref name="project"/> lets a caller in whom no built-in role does: it must grant the action
    /// to one of the caller's own roles and cover what the request is about — its one object (<see cref="IObjectScoped"/>),
    /// or, for a read of features (<see cref="IFeatureReading"/>), any feature (each is then checked by
    /// <see cref="FeatureProtection"/>), or else the whole project (<see cref="FeatureProtection.CoversProject"/>).
    /// </summary>
    private static async Task<bool> GrantedAsync(HttpContext http, object? request, FeatureAction action, string? project,
        CancellationToken ct)
    {
        if (project is null || action is FeatureAction.Admin or FeatureAction.Internal || http.PrincipalOf() is not { } principal
            || !principal.Covers(project) || principal.Roles.All(BuiltInRoles.IsBuiltIn)) return false;
        var permissions = (IPermissionSource)http.RequestServices.GetService(typeof(IPermissionSource))!;
        var granting = (await permissions.PermissionsAsync(project, ct)).Where(p => FeatureProtection.Grants(p, principal, action))
            .ToList();
        if (granting.Count == 0) return false;
        switch (request)
        {
            case IObjectScoped scoped:
                if (http.RequestServices.GetService(typeof(IDefinitionCatalog)) is not IDefinitionCatalog catalog) return false;
                var found = await catalog.FindAsync(project, scoped.ObjectKind, scoped.ObjectName, null, ct);
                var tags = found?.Metadata.Tags ?? ObjectMetadata.Empty.Tags;
                return granting.Any(p => p.Covers(scoped.ObjectKind, scoped.ObjectName, tags));
            case IFeatureReading:
                return true;
            default:
                return granting.Any(FeatureProtection.CoversProject);
        }
    }

    /// <summary>The action an endpoint class declares; <see cref="FeatureAction.Internal"/> when it declares none.</summary>
    public static FeatureAction ActionOf(Type endpointType) => Actions.GetOrAdd(endpointType, type =>
        type.GetCustomAttributes(typeof(AccessAttribute), inherit: true) is [AccessAttribute declared, ..]
            ? declared.Action
            : FeatureAction.Internal);

    /// <summary>Throws the 403 when the caller may not do <paramref name="action"/> in <paramref name="project"/>: for an
    /// endpoint that learns the project from what the request names (a job, a model version).</summary>
    public static void Demand(HttpContext http, FeatureAction action, string project)
    {
        if (Refusal(http, action, project) is { } refusal) throw new ForbiddenException([refusal]);
    }

    private static FieldError? Refusal(HttpContext http, FeatureAction action, string? project)
    {
        var principal = http.PrincipalOf();
        if (principal is null) return new FieldError(Credentials.ApiKeyHeader, "a credential is needed");
        if (AccessRules.Allows(principal, action, project)) return null;
        var field = project is not null && !principal.Covers(project) && action is not (FeatureAction.Admin or FeatureAction.Internal)
            ? "project"
            : Credentials.Read(http.Request).Header;
        return new FieldError(field, AccessRules.Refusal(principal, action, project));
    }
}
