using FastEndpoints;
using FeatureStore.Api;
using FeatureStore.Api.Security;
using FeatureStore.Contracts;
using FeatureStore.Domain.Security;
using FeatureStore.ModelApi.Infrastructure;
using FeatureStore.ModelApi.Serving;
using FluentValidation;

namespace FeatureStore.ModelApi.Endpoints;

/// <summary>
/// <c>POST /api/v1/models/churn/consistency</c>: the promoted model's features as served online beside their
/// offline point-in-time values at the same instant, for the given customers or the first <c>sample</c>
/// labelled ones; every mismatch is listed.
/// </summary>
[Access(FeatureAction.ReadOffline)]
public sealed class CheckChurnConsistency(ConsistencyCheck check) : Endpoint<ConsistencyRequestDto, ConsistencyReportDto>
{
    public override void Configure()
    {
        Post("models/churn/consistency");
        Options(route => route.WithRequestTimeout(TimeoutPolicies.Long));
        Description(d => d.Produces<ProblemDocument>(409, "application/problem+json"));
    }

    public override async Task HandleAsync(ConsistencyRequestDto request, CancellationToken ct)
    {
        ModelAccess.Demand(HttpContext, FeatureAction.ReadOffline);
        await Send.OkAsync(await check.RunAsync(request, HttpContext.PrincipalOf(), ct), ct);
    }
}

public sealed class CheckChurnConsistencyValidator : Validator<ConsistencyRequestDto>
{
    public CheckChurnConsistencyValidator()
    {
        RuleFor(r => r.Sample).InclusiveBetween(1, ConsistencyCheck.MaxCustomers).When(r => r.Sample is not null);
        RuleFor(r => r.Customers!.Count).LessThanOrEqualTo(ConsistencyCheck.MaxCustomers)
            .OverridePropertyName("customers").When(r => r.Customers is not null);
        RuleForEach(r => r.Customers)
            .Must(c => c.ValueKind is System.Text.Json.JsonValueKind.Number or System.Text.Json.JsonValueKind.String)
            .WithMessage("must be a customer key: a number or a string");
    }
}
