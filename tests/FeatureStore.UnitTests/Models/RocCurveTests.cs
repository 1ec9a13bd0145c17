using FeatureStore.ModelApi.Training;

namespace FeatureStore.UnitTests.Models;

public sealed class RocCurveTests
{
    [Fact]
    public void The_curve_steps_through_each_distinct_probability_from_the_origin_to_the_corner()
    {
        // Churners at 0.9 and 0.6, stayers at 0.6 and 0.2: one tie at 0.6 moves both rates at once.
        var curve = RocCurve.Of([(true, 0.9), (true, 0.6), (false, 0.6), (false, 0.2)]);

        Assert.Equal([(0.0, 0.0), (0.0, 0.5), (0.5, 1.0), (1.0, 1.0)], curve.Select(p => (p.FalsePositiveRate, p.TruePositiveRate)));
        Assert.Equal([1, 0.9, 0.6, 0.2], curve.Select(p => p.Threshold));
    }

    [Fact]
    public void Its_area_is_the_models_AUC()
    {
        var random = new Random(3);
        var scored = Enumerable.Range(0, 2000).Select(i =>
        {
            var churned = i % 3 == 0;
            return (churned, Math.Round(Math.Clamp((churned ? 0.6 : 0.4) + (random.NextDouble() - 0.5) * 0.8, 0, 1), 3));
        }).ToList();
        var curve = RocCurve.Of(scored);

        Assert.True(curve.Count <= RocCurve.MaxPoints);
        Assert.Equal((0.0, 0.0), (curve[0].FalsePositiveRate, curve[0].TruePositiveRate));
        Assert.Equal((1.0, 1.0), (curve[^1].FalsePositiveRate, curve[^1].TruePositiveRate));
        var area = curve.Zip(curve.Skip(1)).Sum(pair => (pair.Second.FalsePositiveRate - pair.First.FalsePositiveRate)
            * (pair.First.TruePositiveRate + pair.Second.TruePositiveRate) / 2);
        var churners = scored.Where(s => s.churned).Select(s => s.Item2).ToList();
        var stayers = scored.Where(s => !s.churned).Select(s => s.Item2).ToList();
        var auc = churners.Sum(c => stayers.Sum(s => c > s ? 1.0 : c == s ? 0.5 : 0)) / ((double)churners.Count * stayers.Count);
        Assert.Equal(auc, area, 2); // thinning to 101 points costs less than a hundredth
    }

    [Fact]
    public void One_class_alone_has_no_curve() => Assert.Empty(RocCurve.Of([(true, 0.4), (true, 0.7)]));
}
