namespace FeatureStore.ModelApi.Churn;

/// <summary>
/// Where the churn model's inputs live (section <c>FeatureStore:ChurnModel</c>); the defaults are the sample
/// feature repository's names (samples/feature_repo.yaml). A training request may override each.
/// </summary>
public sealed class ChurnModelOptions
{
    public const string Model = "churn";

    public string Project { get; set; } = "churn";
    public string TrainingFeatureService { get; set; } = "churn_prediction_v1";
    public string ServingFeatureService { get; set; } = "churn_prediction_online";
    public string LabelsSource { get; set; } = "churn_labels";
    public string LabelColumn { get; set; } = "churned";
    /// <summary>The entity join key the labels and predictions name customers by.</summary>
    public string EntityKey { get; set; } = "customer_id";
    /// <summary>The request field on-demand features measure time from: the label time in training, now when serving.</summary>
    public string AsOfField { get; set; } = "as_of";
    public double TestFraction { get; set; } = 0.2;
    public int Seed { get; set; } = 42;
    /// <summary>A probability at or above this is predicted as churn.</summary>
    public double Threshold { get; set; } = 0.5;
    /// <summary>
    /// What a prediction by customer does when its online features cannot be read and the request does not say
    /// (<see cref="FeaturesUnavailable"/>): fail by default, so no caller gets a degraded answer it did not ask for.
    /// </summary>
    public string WhenFeaturesUnavailable { get; set; } = FeaturesUnavailable.Fail;
}

/// <summary>The choices of <c>whenFeaturesUnavailable</c>: fail with a 503, or predict without the online features.</summary>
public static class FeaturesUnavailable
{
    public const string Fail = "fail";
    public const string PredictWithout = "predictWithout";

    public static readonly IReadOnlyList<string> All = [Fail, PredictWithout];

    public static bool IsKnown(string? value) => value is not null && All.Contains(value, StringComparer.Ordinal);
}
