using FastEndpoints;
using FeatureStore.Api;
using FeatureStore.Api.Security;
using FeatureStore.Contracts;
using FeatureStore.Domain.Security;
using FeatureStore.Registry.Compatibility;
using FluentValidation;

namespace FeatureStore.Registry.Endpoints.Compatibility;

/// <summary>
/// <c>POST /api/v1/feature-sets</c> (Feature Store 2.0): declares a feature set — its entities and source (named, or declared here
/// and applied), flags, TTL and <c>materialization_schedule</c> — and answers 201 with it, a draft until its first feature.
/// Needs <c>create</c> in the project; every refusal names the body's own field.
/// </summary>
[Access(FeatureAction.Create)]
public sealed class CreateFeatureSet(FeatureSets sets) : Endpoint<FeatureSetRequestDto, FeatureSetDto>
{
    public override void Configure()
    {
        Post("feature-sets");
        Description(d => d.Produces<FeatureSetDto>(201).Produces<ProblemDocument>(409, "application/problem+json"));
    }

    public override async Task HandleAsync(FeatureSetRequestDto request, CancellationToken ct)
    {
        var set = await sets.CreateAsync(request, ct);
        HttpContext.Response.Headers.Location = $"/{ApiDefaults.RoutePrefix}/feature-sets/{set.Id}?project={set.Project}";
        await Send.ResponseAsync(set, 201, ct);
    }
}

public sealed class CreateFeatureSetValidator : Validator<FeatureSetRequestDto>
{
    public CreateFeatureSetValidator()
    {
        RuleFor(r => r.Project).MustBeName().When(r => r.Project is not null);
        RuleFor(r => r.Name).NotEmpty().WithMessage("is required: the feature set's name");
    }
}
