using System.Diagnostics.Metrics;

namespace FeatureStore.FeatureApi.Monitoring;

/// <summary>Scheduled drift checks as Prometheus counts (summed over instances: each check runs on one):
/// <c>featurestore_drift_checks_total{feature_service, outcome}</c> (ok, drift, failed) and
/// <c>featurestore_feature_drift_detected_total{feature_service, feature}</c>.</summary>
public sealed class DriftMetrics
{
    private readonly Counter<long> _checks;
    private readonly Counter<long> _drifted;

    public DriftMetrics(IMeterFactory meters)
    {
        var meter = meters.Create("FeatureStore.FeatureApi.Drift");
        _checks = meter.CreateCounter<long>("featurestore.drift.checks", "{check}", "Scheduled drift checks, by outcome");
        _drifted = meter.CreateCounter<long>("featurestore.feature_drift.detected", "{check}",
            "Scheduled drift checks that found a feature drifted, per feature");
    }

    public void Checked(string service, string outcome) => _checks.Add(1, new KeyValuePair<string, object?>("feature_service", service),
        new KeyValuePair<string, object?>("outcome", outcome));

    public void Drifted(string service, IEnumerable<string> features)
    {
        foreach (var feature in features)
            _drifted.Add(1, new KeyValuePair<string, object?>("feature_service", service),
                new KeyValuePair<string, object?>("feature", feature));
    }
}
