using FastEndpoints;
using FeatureStore.Contracts;
using FeatureStore.Domain;
using FeatureStore.Registry.Materializations;
using FeatureStore.Registry.Storage;
using FluentValidation;

namespace FeatureStore.Registry.Endpoints.Materializations;

public sealed class StartIncrementalMaterializationRequest : ViewJobRequest
{
    /// <summary>Where the run ends (inclusive); now when absent.</summary>
    public DateTimeOffset? End { get; set; }
}

/// <summary>
/// <c>POST /api/v1/feature-views/{name}/materialize-incremental</c> with <c>{end?, partitions?}</c>: materializes from
/// where the last successful run of the view's current version ended (first run: end − TTL) to <c>end</c>.
/// </summary>
public sealed class StartIncrementalMaterialization(IDefinitionStore store, JobLauncher launcher, TimeProvider clock)
    : JobStartingEndpoint<StartIncrementalMaterializationRequest>
{
    public override void Configure()
    {
        Post("feature-views/{name}/materialize-incremental");
        Description(d => d.Produces<MaterializationAcceptedDto>(202).Produces<ProblemDocument>(404, "application/problem+json")
            .Produces<ProblemDocument>(409, "application/problem+json"));
    }

    public override async Task HandleAsync(StartIncrementalMaterializationRequest request, CancellationToken ct)
    {
        var project = Names.ProjectOrDefault(request.Project);
        var view = await store.FindFeatureViewAsync(project, request.Name, null, ct);
        if (view is null) ThrowError(r => r.Name, $"feature view '{request.Name}' does not exist in project '{project}'", 404);
        var window = await launcher.IncrementalWindowAsync(view, (request.End ?? clock.GetUtcNow()).ToUniversalTime(), ct);
        if (window.End < window.Start)
            ThrowError(r => r.End!, $"must not be before {window.Start:O}, where the last run of this view ended");
        var job = await launcher.StartAsync(view, window, request.Partitions ?? 1, incremental: true, ct);
        await SendAcceptedAsync(job, ct);
    }
}

public sealed class StartIncrementalMaterializationValidator : Validator<StartIncrementalMaterializationRequest>
{
    public StartIncrementalMaterializationValidator()
    {
        this.AddJobRules();
    }
}
