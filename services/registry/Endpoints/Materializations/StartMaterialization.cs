using FastEndpoints;
using FeatureStore.Contracts;
using FeatureStore.Domain;
using FeatureStore.Registry.Endpoints;
using FeatureStore.Storage.Registry;
using FluentValidation;
using MassTransit;

namespace FeatureStore.Registry.Endpoints.Materializations;

public sealed class StartMaterializationRequest
{
    [RouteParam] public string Name { get; set; } = "";
    [QueryParam] public string? Project { get; set; }
    public DateTimeOffset? Start { get; set; }
    public DateTimeOffset? End { get; set; }
}

/// <summary>
/// <c>POST /api/v1/feature-views/{name}/materialize</c> with <c>{start, end}</c> (inclusive): records a
/// job, sends <see cref="MaterializeFeatureView"/> to pipeline-worker and answers 202 with the job.
/// </summary>
public sealed class StartMaterialization(IRegistryStore store, ISendEndpointProvider bus, TimeProvider clock)
    : Endpoint<StartMaterializationRequest, MaterializationAcceptedDto>
{
    public override void Configure()
    {
        Post("feature-views/{name}/materialize");
        AllowAnonymous();
        Description(d => d.Produces<MaterializationAcceptedDto>(202).Produces<ProblemDocument>(404, "application/problem+json")
            .Produces<ProblemDocument>(503, "application/problem+json"));
    }

    public override async Task HandleAsync(StartMaterializationRequest request, CancellationToken ct)
    {
        var project = request.Project ?? Names.DefaultProject;
        var view = await store.FindFeatureViewAsync(project, request.Name, null, ct);
        if (view is null) ThrowError(r => r.Name, $"feature view '{request.Name}' does not exist in project '{project}'", 404);

        var job = new MaterializationJob(Guid.NewGuid(), project, view.Name, view.Version,
            new TimeWindow(request.Start!.Value.ToUniversalTime(), request.End!.Value.ToUniversalTime()), JobStatus.Pending, clock.GetUtcNow());
        await store.CreateJobAsync(job, ct);
        try
        {
            var worker = await bus.GetSendEndpoint(Queues.MaterializeAddress);
            await worker.Send(new MaterializeFeatureView(job.Id, project, view.Name, view.Version, job.Window.Start, job.Window.End), ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            await store.MarkJobFailedAsync(job.Id, $"could not send the job to pipeline-worker: {e.Message}", null, clock.GetUtcNow(), CancellationToken.None);
            ThrowError("the message bus is unavailable; the job was recorded as failed", 503);
        }
        var location = $"/{ApiDefaults.RoutePrefix}/materializations/{job.Id}";
        HttpContext.Response.Headers.Location = location;
        await Send.ResponseAsync(new MaterializationAcceptedDto(job.Id, "pending", location), 202, ct);
    }
}

public sealed class StartMaterializationValidator : Validator<StartMaterializationRequest>
{
    public StartMaterializationValidator()
    {
        RuleFor(r => r.Name).MustBeName();
        RuleFor(r => r.Project).MustBeName().When(r => r.Project is not null);
        RuleFor(r => r.Start).NotNull().WithMessage("is required: the first event time of the window (inclusive)");
        RuleFor(r => r.End).NotNull().WithMessage("is required: the last event time of the window (inclusive)");
        RuleFor(r => r.End).GreaterThanOrEqualTo(r => r.Start).WithMessage("must not be before start")
            .When(r => r.Start is not null && r.End is not null);
    }
}
