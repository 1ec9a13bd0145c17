namespace FeatureStore.ModelApi.Storage;

/// <summary>One prediction of a customer, as logged.</summary>
public sealed record LoggedPrediction(Guid Id, string Model, int Version, string Customer, double Probability, double Threshold,
    bool Degraded, DateTimeOffset PredictedAt);

/// <summary>What really happened to a customer, and when.</summary>
public sealed record RecordedOutcome(string Model, string Customer, DateTimeOffset At, bool Label);

/// <summary>An outcome with the prediction it judges: the customer's latest prediction made at or before the outcome.</summary>
public sealed record MatchedOutcome(int Version, double Probability, double Threshold, bool Label, DateTimeOffset OutcomeAt);

/// <summary>The prediction log and the outcomes, model-api's own tables.</summary>
public interface IPerformanceStore
{
    Task AddPredictionsAsync(IReadOnlyList<LoggedPrediction> predictions, CancellationToken cancellationToken);

    /// <summary>Records outcomes; one recorded again for the same customer and time replaces the label.</summary>
    Task AddOutcomesAsync(IReadOnlyList<RecordedOutcome> outcomes, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>The outcomes in [start, end) that a prediction came before, each with that prediction.</summary>
    Task<IReadOnlyList<MatchedOutcome>> MatchOutcomesAsync(string model, DateTimeOffset start, DateTimeOffset end,
        CancellationToken cancellationToken);
}
