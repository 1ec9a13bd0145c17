using FeatureStore.ModelApi.Performance;
using FeatureStore.ModelApi.Storage;

namespace FeatureStore.UnitTests.Models;

public sealed class ModelPerformanceTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static MatchedOutcome Outcome(double probability, bool label, int day = 0, int version = 1) =>
        new(version, probability, 0.5, label, Start.AddDays(day).AddHours(1));

    [Fact]
    public void Auc_counts_pairs_ranked_right_with_ties_as_half()
    {
        Assert.Equal(1, ModelPerformance.Auc([Outcome(0.9, true), Outcome(0.1, false)]));
        Assert.Equal(0, ModelPerformance.Auc([Outcome(0.1, true), Outcome(0.9, false)]));
        Assert.Equal(0.5, ModelPerformance.Auc([Outcome(0.4, true), Outcome(0.4, false)]));
        // churners 0.8, 0.4; stayers 0.6, 0.2: of four pairs, three ranked right
        Assert.Equal(0.75, ModelPerformance.Auc([Outcome(0.8, true), Outcome(0.4, true), Outcome(0.6, false), Outcome(0.2, false)]));
        Assert.Null(ModelPerformance.Auc([Outcome(0.8, true)]));
    }

    [Fact]
    public void Each_version_gets_precision_recall_calibration_and_points_per_bucket()
    {
        var report = ModelPerformance.Of("churn", Start, Start.AddDays(2), TimeSpan.FromDays(1),
        [
            Outcome(0.9, true), Outcome(0.7, false), Outcome(0.2, true, day: 1), Outcome(0.1, false, day: 1),
            Outcome(0.95, true, version: 2),
        ]);
        var first = report.Versions.Single(v => v.Version == 1);
        Assert.Equal((4L, 2L), (first.Total.Outcomes, first.Total.Churned));
        Assert.Equal((0.5, 0.5), (first.Total.Precision!.Value, first.Total.Recall!.Value)); // 0.9 and 0.7 predicted churn; one did
        Assert.Equal([Start, Start.AddDays(1)], first.OverTime.Select(p => p.Start));
        var bin = first.Calibration.Single(b => b.From == 0.9);
        Assert.Equal((1L, 0.9, 1.0), (bin.Count, bin.MeanPredicted, bin.Observed));
        Assert.Equal(2, report.Versions.Single(v => v.Version == 2).Version);
    }
}
