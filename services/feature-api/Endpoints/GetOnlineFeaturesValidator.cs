using FastEndpoints;
using FeatureStore.Api;
using FeatureStore.Contracts;
using FeatureStore.Domain;
using FeatureStore.FeatureApi.Serving;
using FluentValidation;

namespace FeatureStore.FeatureApi.Endpoints;

/// <summary>The checks that need no definitions; names and types are checked against cached definitions by the reader.</summary>
public sealed class GetOnlineFeaturesValidator : Validator<OnlineFeaturesRequestDto>
{
    public const int MaxEntityRows = 10_000;

    public GetOnlineFeaturesValidator()
    {
        RuleFor(r => r.Project).MustBeName().When(r => r.Project is not null);
        this.AddFeatureChoiceRules(r => r.Features, r => r.FeatureService, SelectionFields.Api);
        this.AddEntityColumnRules(r => r.Entities, MaxEntityRows);
    }
}
