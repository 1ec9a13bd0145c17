using FastEndpoints;
using FluentValidation;

namespace FeatureStore.ModelApi.Endpoints;

public sealed class PredictChurnRequest
{
    public string? CustomerId { get; set; }
}

/// <summary>
/// <c>POST /api/v1/predict/churn</c>: not built yet. It validates its input, then says so with a 501
/// problem rather than inventing a prediction.
/// </summary>
public sealed class PredictChurn : Endpoint<PredictChurnRequest>
{
    public override void Configure()
    {
        Post("predict/churn");
        AllowAnonymous();
        Description(d => d.Produces<ProblemDocument>(501, "application/problem+json"));
    }

    public override Task HandleAsync(PredictChurnRequest request, CancellationToken ct)
    {
        ThrowError("churn prediction is not built yet: there is no trained model to serve (see the model issue)", 501);
        return Task.CompletedTask;
    }
}

public sealed class PredictChurnValidator : Validator<PredictChurnRequest>
{
    public PredictChurnValidator() =>
        RuleFor(r => r.CustomerId).NotEmpty().WithMessage("is required: the customer to predict churn for");
}
