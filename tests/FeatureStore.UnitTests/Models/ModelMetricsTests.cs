using System.Diagnostics.Metrics;
using FeatureStore.ModelApi.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace FeatureStore.UnitTests.Models;

public sealed class ModelMetricsTests
{
    [Fact]
    public void Predictions_probabilities_missing_features_degraded_predictions_and_trainings_are_measured()
    {
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var metrics = new ModelMetrics(services.GetRequiredService<IMeterFactory>());
        var seen = new List<(string Name, double Value, Dictionary<string, object?> Tags)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
            { if (instrument.Meter.Name == ModelMetrics.MeterName) l.EnableMeasurementEvents(instrument); };
        listener.SetMeasurementEventCallback<long>(
            (i, v, tags, _) => seen.Add((i.Name, v, tags.ToArray().ToDictionary(t => t.Key, t => t.Value))));
        listener.SetMeasurementEventCallback<double>(
            (i, v, tags, _) => seen.Add((i.Name, v, tags.ToArray().ToDictionary(t => t.Key, t => t.Value))));
        listener.Start();

        metrics.Predicted(version: 3, probability: 0.8, churn: true, missing: 2);
        metrics.Predicted(version: 3, probability: 0.1, churn: false, missing: 0);
        metrics.Degraded(version: 3, dependency: "feature-api");
        metrics.Trained(succeeded: true, auc: 0.91);
        metrics.Trained(succeeded: false, auc: null);

        Assert.Equal(2, seen.Count(s => s.Name == "featurestore.model.predictions"));
        Assert.Contains(seen,
            s => s.Name == "featurestore.model.predictions" && Equals(s.Tags["churn"], true) && Equals(s.Tags["model.version"], 3));
        Assert.Equal([0.8, 0.1], seen.Where(s => s.Name == "featurestore.model.prediction.probability").Select(s => s.Value));
        Assert.Equal([2.0], seen.Where(s => s.Name == "featurestore.model.missing_features").Select(s => s.Value));
        var degraded = Assert.Single(seen, s => s.Name == "featurestore.model.degraded_predictions");
        Assert.Equal((1.0, "feature-api", (object?)3), (degraded.Value, degraded.Tags["dependency"], degraded.Tags["model.version"]));
        Assert.Equal(["succeeded", "failed"],
            seen.Where(s => s.Name == "featurestore.model.trainings").Select(s => (string)s.Tags["outcome"]!));
        Assert.Equal([0.91], seen.Where(s => s.Name == "featurestore.model.training.auc").Select(s => s.Value));
    }
}
