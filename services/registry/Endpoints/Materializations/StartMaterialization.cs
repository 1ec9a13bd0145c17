using FastEndpoints;
using FeatureStore.Api.Security;
using FeatureStore.Contracts;
using FeatureStore.Domain;
using FeatureStore.Domain.Security;
using FeatureStore.Registry.Materializations;
using FeatureStore.Registry.Storage;
using FluentValidation;

namespace FeatureStore.Registry.Endpoints.Materializations;

public sealed class StartMaterializationRequest : ViewJobRequest
{
    public DateTimeOffset? Start { get; set; }
    public DateTimeOffset? End { get; set; }
}

/// <summary>
/// <c>POST /api/v1/feature-views/{name}/materialize</c> with <c>{start, end, partitions?}</c> (inclusive window):
/// records a job, sends its partitions to pipeline-worker and answers 202; 409 while the view has a job running.
/// </summary>
public sealed class StartMaterialization(IDefinitionStore store, JobLauncher launcher) : JobStartingEndpoint<StartMaterializationRequest>
{
    public override void Configure()
    {
        Post("feature-views/{name}/materialize");
        Description(d => d.Produces<MaterializationAcceptedDto>(202).Produces<ProblemDocument>(404, "application/problem+json")
            .Produces<ProblemDocument>(409, "application/problem+json").Produces<ProblemDocument>(503, "application/problem+json"));
    }

    public override async Task HandleAsync(StartMaterializationRequest request, CancellationToken ct)
    {
        var project = Names.ProjectOrDefault(request.Project);
        var view = await store.FindFeatureViewAsync(project, request.Name, null, ct);
        if (view is null) ThrowError(r => r.Name, $"feature view '{request.Name}' does not exist in project '{project}'", 404);
        var job = await launcher.StartAsync(view,
            new TimeWindow(request.Start!.Value.ToUniversalTime(), request.End!.Value.ToUniversalTime()),
            request.Partitions ?? 1, incremental: false, ct);
        await SendAcceptedAsync(job, ct);
    }
}

public sealed class StartMaterializationValidator : Validator<StartMaterializationRequest>
{
    public StartMaterializationValidator()
    {
        this.AddJobRules();
        RuleFor(r => r.Start).NotNull().WithMessage("is required: the first event time of the window (inclusive)");
        RuleFor(r => r.End).NotNull().WithMessage("is required: the last event time of the window (inclusive)");
        RuleFor(r => r.End).GreaterThanOrEqualTo(r => r.Start).WithMessage("must not be before start")
            .When(r => r.Start is not null && r.End is not null);
    }
}

/// <summary>What the endpoints that start jobs share: the 202 answer with the job's location, window and partitions.</summary>
[Access(FeatureAction.Materialize)]
public abstract class JobStartingEndpoint<TRequest> : Endpoint<TRequest, MaterializationAcceptedDto> where TRequest : notnull
{
    protected async Task SendAcceptedAsync(MaterializationJob job, CancellationToken ct)
    {
        var accepted = AcceptedJobs.Of(job);
        HttpContext.Response.Headers.Location = accepted.Location;
        await Send.ResponseAsync(accepted, 202, ct);
    }
}

public static class AcceptedJobs
{
    /// <summary>A job just started, as its start is answered: pending, where to follow it, its window and partitions.</summary>
    public static MaterializationAcceptedDto Of(MaterializationJob job) =>
        new(job.Id, "pending", $"/{ApiDefaults.RoutePrefix}/materializations/{job.Id}", job.Window.Start, job.Window.End,
            job.PartitionCount);
}
