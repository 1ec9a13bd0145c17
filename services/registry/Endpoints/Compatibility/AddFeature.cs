using FastEndpoints;
using FeatureStore.Api;
using FeatureStore.Api.Security;
using FeatureStore.Contracts;
using FeatureStore.Domain.Security;
using FeatureStore.Registry.Compatibility;
using FluentValidation;

namespace FeatureStore.Registry.Endpoints.Compatibility;

/// <summary>
/// <c>POST /api/v1/features</c> (Feature Store 2.0): adds a feature (<c>data_type</c>, <c>transformation</c>,
/// <c>validation_rules</c>, <c>default_value</c>, <c>allowed_values</c>) to a feature set, applied as a new version of the set's
/// feature view; 201 with the version. Needs <c>create</c> in the project.
/// </summary>
[Access(FeatureAction.Create)]
public sealed class AddFeature(FeatureSets sets) : Endpoint<FeatureRequestDto, FeatureCreatedDto>
{
    public override void Configure()
    {
        Post("features");
        Description(d => d.Produces<FeatureCreatedDto>(201).Produces<ProblemDocument>(404, "application/problem+json")
            .Produces<ProblemDocument>(409, "application/problem+json"));
    }

    public override async Task HandleAsync(FeatureRequestDto request, CancellationToken ct)
    {
        var created = await sets.AddFeatureAsync(request, ct);
        await Send.ResponseAsync(created, 201, ct);
    }
}

public sealed class AddFeatureValidator : Validator<FeatureRequestDto>
{
    public AddFeatureValidator()
    {
        RuleFor(r => r.Project).MustBeName().When(r => r.Project is not null);
        RuleFor(r => r.FeatureSetId).NotEmpty().WithMessage("is required: the feature set the feature belongs to")
            .OverridePropertyName("feature_set_id");
        RuleFor(r => r.Name).NotEmpty().WithMessage("is required");
        RuleFor(r => r.DataType).NotEmpty().WithMessage("is required: int64, float64, string, bool, timestamp, …")
            .OverridePropertyName("data_type");
    }
}
