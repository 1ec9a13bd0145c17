using FastEndpoints;
using FeatureStore.Api;
using FeatureStore.Api.Security;
using FeatureStore.Contracts;
using FeatureStore.Domain;
using FeatureStore.Domain.Security;
using FeatureStore.Registry.Materializations;
using FeatureStore.Registry.Storage;
using FluentValidation;

namespace FeatureStore.Registry.Endpoints.Materializations;

public sealed class RestoreOnlineRequest
{
    /// <summary>The project whose online store to refill; absent: every project materializations have written online.</summary>
    public string? Project { get; set; }

    /// <summary>How many partitions each job splits into (default 1).</summary>
    public int? Partitions { get; set; }
}

/// <summary>
/// <c>POST /api/v1/materializations/restore-online</c> with <c>{project?, partitions?}</c>: after the online store lost its
/// data (feature-api's <c>online-data</c> health says so), starts for every online view of the project(s) a materialization
/// of the window <see cref="JobLauncher.RestoreWindowAsync"/> gives; a view with a job already running is skipped and named.
/// Values pushed only to the online store are not restorable: nothing else holds them.
/// </summary>
[Access(FeatureAction.Materialize)]
public sealed class RestoreOnline(IDefinitionStore definitions, IJobStore jobs, JobLauncher launcher, TimeProvider clock)
    : Endpoint<RestoreOnlineRequest, RestoreOnlineAcceptedDto>
{
    public override void Configure()
    {
        Post("materializations/restore-online");
        Options(route => route.WithRequestTimeout(TimeoutPolicies.Long));
        Description(d => d.Produces<RestoreOnlineAcceptedDto>(202).Produces<ProblemDocument>(404, "application/problem+json"));
    }

    public override async Task HandleAsync(RestoreOnlineRequest request, CancellationToken ct)
    {
        if (request.Project is not null && await definitions.ProjectRevisionAsync(request.Project, ct) == 0)
            ThrowError(r => r.Project!, $"project '{request.Project}' does not exist", 404);
        IReadOnlyList<string> projects = request.Project is { } one
            ? [one]
            : (await jobs.OnlineProjectsAsync(ct)).Select(p => p.Project).ToList();
        var started = new List<RestoreJobDto>();
        var skipped = new List<RestoreSkippedDto>();
        var now = clock.GetUtcNow();
        foreach (var project in projects) AccessCheck.Demand(HttpContext, FeatureAction.Materialize, project);
        foreach (var project in projects)
            foreach (var view in (await definitions.ListObjectsAsync(project, ObjectKind.FeatureView, ct))
                     .Select(o => o.Read<FeatureViewDefinition>()).Where(v => v.Online))
            {
                try
                {
                    var job = await launcher.StartAsync(view, await launcher.RestoreWindowAsync(view, now, ct), request.Partitions ?? 1,
                        incremental: false, ct);
                    started.Add(new RestoreJobDto(project, view.Name, AcceptedJobs.Of(job)));
                }
                catch (ActiveJobExistsException e)
                {
                    skipped.Add(new RestoreSkippedDto(project, view.Name,
                        $"job {e.ActiveJob} of this view is pending or running; restore it again once that job has ended", e.ActiveJob));
                }
            }
        await Send.ResponseAsync(new RestoreOnlineAcceptedDto(started, skipped), 202, ct);
    }
}

public sealed class RestoreOnlineValidator : Validator<RestoreOnlineRequest>
{
    public RestoreOnlineValidator()
    {
        RuleFor(r => r.Project).MustBeName().When(r => r.Project is not null);
        RuleFor(r => r.Partitions).MustBePartitionCount();
    }
}
