using System.Text.Json;
using FastEndpoints;
using FeatureStore.Api;
using FeatureStore.Api.Security;
using FeatureStore.Contracts;
using FeatureStore.Domain.Security;
using FeatureStore.ModelApi.Churn;
using FeatureStore.ModelApi.Infrastructure;
using FeatureStore.ModelApi.Performance;
using FeatureStore.ModelApi.Storage;
using FluentValidation;

namespace FeatureStore.ModelApi.Endpoints;

/// <summary>
/// <c>POST /api/v1/models/churn/outcomes</c> with <c>{"outcomes": [{"customerId": 42, "churned": true, "at": "…"}]}</c> (at most
/// 10,000): what really happened, to judge the predictions made before it (<c>GET …/performance</c>). The same customer and
/// time sent again replaces the label. Recording truth about a model takes <c>train</c>.
/// </summary>
[Access(FeatureAction.Train)]
public sealed class RecordChurnOutcomes(IPerformanceStore store, TimeProvider clock)
    : Endpoint<RecordOutcomesRequestDto, OutcomesRecordedDto>
{
    public const int MaxOutcomes = 10_000;

    public override void Configure() => Post("models/churn/outcomes");

    public override async Task HandleAsync(RecordOutcomesRequestDto request, CancellationToken ct)
    {
        ModelAccess.Demand(HttpContext, FeatureAction.Train);
        var outcomes = request.Outcomes!.Select(o => new RecordedOutcome(ChurnModelOptions.Model, CustomerKey.Of(o!.CustomerId!.Value),
            o.At!.Value, o.Churned!.Value)).ToList();
        await store.AddOutcomesAsync(outcomes, clock.GetUtcNow(), ct);
        await Send.OkAsync(new OutcomesRecordedDto(outcomes.Count), ct);
    }
}

public sealed class RecordOutcomesValidator : Validator<RecordOutcomesRequestDto>
{
    public RecordOutcomesValidator()
    {
        RuleFor(r => r.Outcomes).NotNull().WithMessage("is required: a list of {customerId, churned, at}")
            .Must(o => o is null || o.Count is > 0 and <= RecordChurnOutcomes.MaxOutcomes)
            .WithMessage($"must hold 1 to {RecordChurnOutcomes.MaxOutcomes} outcomes");
        RuleForEach(r => r.Outcomes).ChildRules(outcome =>
        {
            outcome.RuleFor(o => o!.CustomerId).Must(id => id is { ValueKind: JsonValueKind.Number or JsonValueKind.String })
                .WithMessage("must be the customer's key: a number or a string");
            outcome.RuleFor(o => o!.Churned).NotNull().WithMessage("is required: true or false");
            outcome.RuleFor(o => o!.At).NotNull().WithMessage("is required: when the outcome was known").MustBeOrdinaryInstant();
        }).When(r => r.Outcomes is { Count: <= RecordChurnOutcomes.MaxOutcomes });
    }
}
