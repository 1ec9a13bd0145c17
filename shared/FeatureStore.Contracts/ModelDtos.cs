using System.Text.Json;

namespace FeatureStore.Contracts;

/// <summary><c>POST /api/v1/models/churn/train</c>: all optional; the defaults train the sample's churn model.</summary>
public sealed class TrainModelRequestDto
{
    public string? Project { get; set; }
    /// <summary>The feature service the training set is retrieved with (every feature worth looking at).</summary>
    public string? TrainingFeatureService { get; set; }
    /// <summary>The feature service the model is served from: the model uses exactly its features.</summary>
    public string? ServingFeatureService { get; set; }
    /// <summary>The batch source of labels: entity key, label time, label.</summary>
    public string? LabelsSource { get; set; }
    public string? LabelColumn { get; set; }
    /// <summary>Share of labelled rows held out for the metrics, per class.</summary>
    public double? TestFraction { get; set; }
    public int? Seed { get; set; }
    /// <summary>Promote the new version once trained.</summary>
    public bool Promote { get; set; }
}

public sealed record TrainingJobDto(Guid Id, string Model, string Status, DateTimeOffset CreatedAt, DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt, string? Error, int? Version, string Location);

public sealed record ConfusionMatrixDto(long TruePositives, long FalsePositives, long TrueNegatives, long FalseNegatives);

/// <summary>A point of a ROC curve: at this probability threshold, the share of stayers called churners and of churners found.
/// </summary>
public sealed record RocPointDto(double Threshold, double FalsePositiveRate, double TruePositiveRate);

/// <summary>One trained candidate's quality on the held-out rows (the positive class is "churned"); <see cref="Roc"/> is absent
/// for versions trained before the curve was kept.</summary>
public sealed record ModelMetricsDto(string Algorithm, double Auc, double F1, double Precision, double Recall, double Accuracy,
    ConfusionMatrixDto ConfusionMatrix, IReadOnlyList<RocPointDto>? Roc = null);

/// <summary>How much the held-out AUC drops when one feature's values are shuffled (permutation importance).</summary>
public sealed record FeatureImportanceDto(string Feature, double AucDrop);

public sealed record FeatureServiceVersionDto(string Name, int Version);

/// <summary>A model version: what it was trained on, how good it is, and which candidate it serves.</summary>
public sealed record ModelVersionDto(
    string Model, int Version, DateTimeOffset CreatedAt, bool Promoted, Guid TrainingJob, string Artifact,
    string Project, string Algorithm, IReadOnlyList<string> Features, IReadOnlyList<string> FeatureRefs,
    FeatureServiceVersionDto TrainingFeatureService, FeatureServiceVersionDto ServingFeatureService, string Dataset,
    long TrainingRows, long TestRows, double PositiveShare, ModelMetricsDto Metrics, IReadOnlyList<ModelMetricsDto> Candidates,
    IReadOnlyList<FeatureImportanceDto> Importance);

public sealed record ModelVersionsDto(string Model, int? Promoted, IReadOnlyList<ModelVersionDto> Versions);

/// <summary><c>POST /api/v1/predict/churn</c>: a customer (features read online) or raw feature values.</summary>
public sealed class PredictChurnRequestDto
{
    public JsonElement? CustomerId { get; set; }
    public Dictionary<string, JsonElement>? Features { get; set; }
    /// <summary>
    /// What to do when the customer's online features cannot be read at all (feature-api or its online store down):
    /// <c>fail</c> (a 503 naming feature-api) or <c>predictWithout</c> (a prediction without any of them, marked
    /// degraded); the configured default (<c>FeatureStore:ChurnModel:WhenFeaturesUnavailable</c>) when absent.
    /// </summary>
    public string? WhenFeaturesUnavailable { get; set; }
}

/// <summary>A feature value the prediction used, with where it came from and its state.</summary>
public sealed record UsedFeatureDto(string Name, JsonElement? Value, string Status, DateTimeOffset? EventTimestamp);

/// <summary>Why a prediction was made without the online features: the dependency that could not serve them, and what
/// failed.</summary>
public sealed record DegradationDto(string Dependency, string Reason);

/// <summary>
/// A churn prediction. <see cref="Degraded"/> is true when the online features could not be read and the caller asked to
/// predict without them: every feature is then listed under <see cref="Missing"/> and <see cref="Degradation"/> says why.
/// <see cref="Withheld"/>: features the model used that the caller may not read online (protected), shown without their values.
/// </summary>
public sealed record PredictionDto(JsonElement? CustomerId, double Probability, bool Churn, double Threshold,
    int ModelVersion, string Algorithm,
    IReadOnlyList<UsedFeatureDto> Features, IReadOnlyList<string> Missing, bool Degraded = false, DegradationDto? Degradation = null,
    IReadOnlyList<string>? Withheld = null);

/// <summary><c>POST /api/v1/models/churn/consistency</c>: which customers to compare (or how many of the labelled ones).</summary>
public sealed class ConsistencyRequestDto
{
    public List<JsonElement>? Customers { get; set; }
    public int? Sample { get; set; }
}

public sealed record FeatureMismatchDto(JsonElement CustomerId, string Feature, JsonElement? Online,
    string OnlineStatus, JsonElement? Offline);

/// <summary>Online values beside the offline point-in-time values at the same instant, for the promoted model's features.</summary>
public sealed record ConsistencyReportDto(DateTimeOffset At, int ModelVersion, int Customers, int FeaturesCompared, int Mismatches,
    IReadOnlyList<FeatureMismatchDto> Differences, IReadOnlyList<HistoricalGapDto>? OfflineGaps = null);

/// <summary>An outcome: whether a customer churned, and when that was known.</summary>
public sealed class OutcomeDto
{
    public JsonElement? CustomerId { get; set; }
    public bool? Churned { get; set; }
    public DateTimeOffset? At { get; set; }
}

/// <summary><c>POST /api/v1/models/churn/outcomes</c>: outcomes to judge past predictions by.</summary>
public sealed class RecordOutcomesRequestDto
{
    public List<OutcomeDto?>? Outcomes { get; set; }
}

public sealed record OutcomesRecordedDto(int Recorded);

/// <summary>A model's performance over some outcomes: how many, how many churned, AUC, precision and recall at its threshold.</summary>
public sealed record PerformancePointDto(DateTimeOffset Start, long Outcomes, long Churned, double? Auc, double? Precision,
    double? Recall);

/// <summary>Predicted probabilities in [From, To): how many, their mean, and the share that churned.</summary>
public sealed record CalibrationBinDto(double From, double To, long Count, double MeanPredicted, double Observed);

public sealed record VersionPerformanceDto(int Version, PerformancePointDto Total, IReadOnlyList<CalibrationBinDto> Calibration,
    IReadOnlyList<PerformancePointDto> OverTime);

/// <summary><c>GET /api/v1/models/churn/performance</c>: per version, on the outcomes recorded in [start, end).</summary>
public sealed record ModelPerformanceDto(string Model, DateTimeOffset Start, DateTimeOffset End,
    IReadOnlyList<VersionPerformanceDto> Versions);
