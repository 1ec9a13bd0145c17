using System.Text.Json;
using FastEndpoints;
using FeatureStore.Api;
using FeatureStore.Api.Security;
using FeatureStore.Contracts;
using FeatureStore.Domain.Security;
using FeatureStore.ModelApi.Churn;
using FeatureStore.ModelApi.Infrastructure;
using FeatureStore.ModelApi.Serving;
using FluentValidation;

namespace FeatureStore.ModelApi.Endpoints;

/// <summary>
/// <c>POST /api/v1/predict/churn</c> with <c>{"customerId": 42}</c> (features read online) or
/// <c>{"features": {...}}</c> (raw values): probability, label, model version, and every feature used with its
/// status (a protected feature the caller may not read online is WITHHELD: used, not shown); 409 until a version is promoted.
/// With <c>"whenFeaturesUnavailable": "predictWithout"</c> an outage of feature-api (or of its online store)
/// yields a prediction marked <c>degraded</c> instead of a 503.
/// </summary>
[Access(FeatureAction.Predict)]
public sealed class PredictChurn(ChurnPredictor predictor) : Endpoint<PredictChurnRequestDto, PredictionDto>
{
    public override void Configure()
    {
        Post("predict/churn");
        Options(route => route.WithRequestTimeout(TimeoutPolicies.Online));
        Description(d => d.Produces<ProblemDocument>(409, "application/problem+json")
            .Produces<ProblemDocument>(422, "application/problem+json")
            .Produces<ProblemDocument>(503, "application/problem+json"));
    }

    public override async Task HandleAsync(PredictChurnRequestDto request, CancellationToken ct)
    {
        ModelAccess.Demand(HttpContext, FeatureAction.Predict);
        await Send.OkAsync(await predictor.PredictAsync(request, HttpContext.PrincipalOf(), ct), ct);
    }
}

public sealed class PredictChurnValidator : Validator<PredictChurnRequestDto>
{
    public PredictChurnValidator()
    {
        RuleFor(r => r.CustomerId).Must(id => id is null || id.Value.ValueKind is JsonValueKind.Number or JsonValueKind.String)
            .WithMessage("must be the customer's key: a number or a string");
        RuleFor(r => r.CustomerId).NotNull().When(r => r.Features is null)
            .WithMessage("is required: the customer to predict churn for (or send features instead)");
        RuleFor(r => r.Features).Null().When(r => r.CustomerId is not null)
            .WithMessage("send either customerId (features are read online) or features (raw values), not both");
        RuleFor(r => r.WhenFeaturesUnavailable).Must(FeaturesUnavailable.IsKnown).When(r => r.WhenFeaturesUnavailable is not null)
            .WithMessage($"must be one of: {string.Join(", ", FeaturesUnavailable.All)}");
    }
}
