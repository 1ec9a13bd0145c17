using System.Net.Http.Headers;
using FastEndpoints;
using FeatureStore.Api;
using FeatureStore.Api.Audit;
using FeatureStore.Api.Security;
using FeatureStore.Contracts;
using FeatureStore.Domain;
using FeatureStore.Domain.Security;
using FeatureStore.Registry.Definitions;
using FeatureStore.Registry.Infrastructure;

namespace FeatureStore.Registry.Endpoints.Apply;

/// <summary>
/// <c>POST /api/v1/apply</c>: applies a whole repository definition (JSON or YAML) atomically.
/// <c>?dryRun=true</c> only returns the plan; <c>?prune=true</c> deletes objects absent from the file;
/// <c>?force=true</c> accepts breaking changes; <c>If-Match</c> makes it conditional on ETags. Planning (a dry run) needs
/// <c>describe</c> in the document's project, applying <c>create</c>, and a change to a permission the admin role.
/// </summary>
[Access(FeatureAction.Describe)]
public sealed class ApplyRepository(ApplyService apply) : EndpointWithoutRequest<ApplyResultDto>
{
    public override void Configure()
    {
        Post("apply");
        Options(route => route.WithMetadata(new QueryParameters("dryRun", "prune", "force")).WithRequestTimeout(TimeoutPolicies.Long));
        Description(d => d
            .Accepts<RepositoryDto>("application/json", [.. RepositoryDocument.YamlMediaTypes])
            .Produces<ApplyResultDto>(200)
            .Produces<ProblemDocument>(400, "application/problem+json")
            .Produces<ProblemDocument>(409, "application/problem+json")
            .Produces<ProblemDocument>(412, "application/problem+json")
            .Produces<ProblemDocument>(415, "application/problem+json"));
    }

    public override async Task HandleAsync(CancellationToken ct)
    {
        var mediaType = MediaTypeHeaderValue.TryParse(HttpContext.Request.ContentType, out var parsed) ? parsed.MediaType : null;
        var yaml = RepositoryDocument.IsYaml(mediaType);
        if (!yaml && !RepositoryDocument.IsJson(mediaType))
            ThrowError($"send the repository definition as JSON (application/json) or YAML (application/yaml), " +
                $"not '{mediaType ?? "no content type"}'", 415);
        var (dryRun, prune, force) = (Flag("dryRun"), Flag("prune"), Flag("force"));
        ThrowIfAnyErrors();

        using var reader = new StreamReader(HttpContext.Request.Body);
        var body = await reader.ReadToEndAsync(ct);
        // Every apply is audited, refused or failed ones too; a plan (dry run) is a read.
        var audit = dryRun ? null : AuditNotes.Of(HttpContext);
        audit?.Action = "apply";
        var result = await apply.ApplyAsync(new ApplyRequest(body, yaml, dryRun, prune, force,
            ETags.Parse(HttpContext.Request.Headers.IfMatch),
            project =>
            {
                audit?.Project = project;
                AccessCheck.Demand(HttpContext, dryRun ? FeatureAction.Describe : FeatureAction.Create, project);
            },
            kinds =>
            {
                if (kinds.Contains(ObjectKind.Permission)) AccessCheck.Demand(HttpContext, FeatureAction.Admin, "*");
            }), ct);
        audit?.Objects.AddRange(result.Changes.Where(c => c.Action != "unchanged").Select(c => $"{c.Kind}/{c.Name} ({c.Action})"));
        HttpContext.Response.Headers.ETag = ETags.ForProject(result.Project, result.Revision);
        await Send.OkAsync(result, ct);
    }

    /// <summary>A boolean query option: absent is false; anything but true/false is an error naming it.</summary>
    private bool Flag(string name)
    {
        var text = HttpContext.Request.Query[name].ToString();
        if (text.Length == 0) return false;
        if (bool.TryParse(text, out var value)) return value;
        AddError(new FluentValidation.Results.ValidationFailure(name, $"must be true or false, not '{text}'"));
        return false;
    }
}
