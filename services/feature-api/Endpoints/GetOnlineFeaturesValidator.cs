using FastEndpoints;
using FeatureStore.Contracts;
using FeatureStore.Domain;
using FluentValidation;

namespace FeatureStore.FeatureApi.Endpoints;

/// <summary>The checks that need no definitions; names and types are checked against the registry by the reader.</summary>
public sealed class GetOnlineFeaturesValidator : Validator<OnlineFeaturesRequestDto>
{
    public const int MaxEntityRows = 10_000;

    public GetOnlineFeaturesValidator()
    {
        RuleFor(r => r.Project).Must(Names.IsValid).WithMessage($"must be a project name that {Names.Rule}").When(r => r.Project is not null);
        RuleFor(r => r.Features).NotEmpty().WithMessage($"must list at least one feature reference, {FeatureRef.Format}");
        RuleForEach(r => r.Features).Must(f => FeatureRef.TryParse(f, out _)).WithMessage($"must be {FeatureRef.Format}");
        RuleFor(r => r.Entities).NotEmpty().WithMessage("must map each join key to its values, such as {\"customer_id\": [1001, 1002]}");
        RuleFor(r => r.Entities).Must(e => e!.Values.All(column => column is { Count: > 0 }))
            .WithMessage("every join key needs at least one value").When(r => r.Entities is { Count: > 0 });
        RuleFor(r => r.Entities).Must(e => e!.Values.Select(column => column?.Count).Distinct().Count() == 1)
            .WithMessage("every join key needs the same number of values (one per entity row)").When(r => r.Entities is { Count: > 0 });
        RuleFor(r => r.Entities).Must(e => e!.Values.First()?.Count <= MaxEntityRows)
            .WithMessage($"may hold at most {MaxEntityRows} entity rows per request").When(r => r.Entities is { Count: > 0 });
    }
}
