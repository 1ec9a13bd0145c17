using FastEndpoints;
using FeatureStore.Api;
using FeatureStore.Api.Security;
using FeatureStore.Contracts;
using FeatureStore.Domain.Security;
using FeatureStore.ModelApi.Infrastructure;
using FeatureStore.ModelApi.Storage;
using FeatureStore.ModelApi.Training;
using FluentValidation;

namespace FeatureStore.ModelApi.Endpoints;

/// <summary>
/// <c>POST /api/v1/models/churn/train</c>: accepts a training job (202 with its location) that builds a
/// point-in-time-correct training set through feature-api, trains the candidates and stores a new version;
/// 409 while another training of the model is pending or running.
/// </summary>
[Access(FeatureAction.Train)]
public sealed class TrainChurnModel(TrainingQueue queue) : Endpoint<TrainModelRequestDto, TrainingJobDto>
{
    public override void Configure()
    {
        Post("models/churn/train");
        Description(d => d.Produces<TrainingJobDto>(202).Produces<ProblemDocument>(409, "application/problem+json"));
    }

    public override async Task HandleAsync(TrainModelRequestDto request, CancellationToken ct)
    {
        ModelAccess.Demand(HttpContext, FeatureAction.Train, request.Project);
        var (job, accepted) = await queue.EnqueueAsync(request, ct);
        if (!accepted)
            throw new FieldErrorsException(409,
                [new FieldError("model", $"training job {job.Id} of this model is still {job.Status.ToString().ToLowerInvariant()}")]);
        var dto = TrainingJobs.ToDto(job);
        HttpContext.Response.Headers.Location = dto.Location;
        await Send.ResponseAsync(dto, 202, ct);
    }
}

public sealed class TrainChurnModelValidator : Validator<TrainModelRequestDto>
{
    public TrainChurnModelValidator()
    {
        RuleFor(r => r.Project).MustBeName().When(r => r.Project is not null);
        RuleFor(r => r.TrainingFeatureService).MustBeName().When(r => r.TrainingFeatureService is not null);
        RuleFor(r => r.ServingFeatureService).MustBeName().When(r => r.ServingFeatureService is not null);
        RuleFor(r => r.LabelsSource).MustBeName().When(r => r.LabelsSource is not null);
        RuleFor(r => r.LabelColumn).MustBeName().When(r => r.LabelColumn is not null);
        RuleFor(r => r.TestFraction).InclusiveBetween(0.05, 0.5).WithMessage("must be between 0.05 and 0.5")
            .When(r => r.TestFraction is not null);
        RuleFor(r => r.Seed).GreaterThanOrEqualTo(0).When(r => r.Seed is not null);
    }
}

public static class TrainingJobs
{
    public static TrainingJobDto ToDto(TrainingJob job) => new(job.Id, job.Model, job.Status.ToString().ToLowerInvariant(),
        job.CreatedAt, job.StartedAt,
        job.FinishedAt, job.Error, job.Version, $"/{ApiDefaults.RoutePrefix}/models/{job.Model}/training-jobs/{job.Id}");
}
