using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace FeatureStore.ModelApi.Infrastructure;

/// <summary>
/// model-api's own metrics, shown by the Aspire dashboard through OTLP: predictions by model version and label,
/// the distribution of churn probabilities (a drifting model shows here first), features a prediction had to do
/// without (missing or stale online), predictions made degraded (no online features at all: feature-api or its store down),
/// and training runs by outcome with their held-out AUC.
/// </summary>
public sealed class ModelMetrics
{
    public const string MeterName = "FeatureStore.ModelApi";

    private readonly Counter<long> _predictions;
    private readonly Histogram<double> _probability;
    private readonly Counter<long> _missing;
    private readonly Counter<long> _degraded;
    private readonly Counter<long> _trainings;
    private readonly Histogram<double> _auc;

    public ModelMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _predictions = meter.CreateCounter<long>("featurestore.model.predictions", "{prediction}",
            "Predictions made, by model version and predicted label");
        _probability = meter.CreateHistogram("featurestore.model.prediction.probability", "1", "Predicted churn probabilities",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95] });
        _missing = meter.CreateCounter<long>("featurestore.model.missing_features", "{feature}",
            "Features a prediction was made without (missing, null or stale)");
        _degraded = meter.CreateCounter<long>("featurestore.model.degraded_predictions", "{prediction}",
            "Predictions made without any online feature because the dependency serving them was down, by dependency");
        _trainings = meter.CreateCounter<long>("featurestore.model.trainings", "{run}", "Training runs, by outcome");
        _auc = meter.CreateHistogram<double>("featurestore.model.training.auc", "1", "Held-out AUC of each trained version");
    }

    public void Predicted(int version, double probability, bool churn, int missing)
    {
        var tags = new TagList { { "model.version", version }, { "churn", churn } };
        _predictions.Add(1, tags);
        _probability.Record(probability, new KeyValuePair<string, object?>("model.version", version));
        if (missing > 0) _missing.Add(missing, new KeyValuePair<string, object?>("model.version", version));
    }

    public void Degraded(int version, string dependency) =>
        _degraded.Add(1, new TagList { { "model.version", version }, { "dependency", dependency } });

    public void Trained(bool succeeded, double? auc)
    {
        _trainings.Add(1, new KeyValuePair<string, object?>("outcome", succeeded ? "succeeded" : "failed"));
        if (auc is { } value) _auc.Record(value);
    }
}
