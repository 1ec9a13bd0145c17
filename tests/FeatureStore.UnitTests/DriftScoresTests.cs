using FeatureStore.Domain.Monitoring;

namespace FeatureStore.UnitTests;

public sealed class DriftScoresTests
{
    private static double[] Normal(int count, double mean, double sd, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count)
            .Select(_ => mean + sd * Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble()))
            .ToArray();
    }

    [Fact]
    public void Resampling_noise_stays_below_every_default_threshold_and_a_shift_passes_them()
    {
        var reference = Normal(5000, 0, 1, 1);
        for (var seed = 2; seed < 12; seed++)
        {
            var same = DriftVerdicts.Judge(new DriftSample(reference, null, 0), new DriftSample(Normal(5000, 0, 1, seed), null, 0),
                DriftThresholds.Default);
            Assert.True(same.Verdict == "ok", string.Join("; ", same.Reasons));
        }
        var shifted = DriftVerdicts.Judge(new DriftSample(reference, null, 0), new DriftSample(Normal(5000, 0.5, 1, 99), null, 0),
            DriftThresholds.Default);
        Assert.Equal("drift", shifted.Verdict);
        Assert.InRange(shifted.Psi!.Value, 0.2, 0.5);
        Assert.InRange(shifted.KsStatistic!.Value, 0.15, 0.25); // Φ(0.25) − Φ(−0.25) ≈ 0.197
        Assert.True(shifted.KsPValue < 1e-10);
    }

    [Fact]
    public void Jensen_shannon_distance_is_zero_for_equal_shares_one_for_disjoint_and_flags_a_moved_share()
    {
        var reference = new Dictionary<string, long> { ["a"] = 500, ["b"] = 300, ["c"] = 200 };
        Assert.Equal(0, DriftScores.JensenShannon(reference, new Dictionary<string, long> { ["a"] = 50, ["b"] = 30, ["c"] = 20 }), 9);
        Assert.Equal(1, DriftScores.JensenShannon(reference, new Dictionary<string, long> { ["z"] = 7 }), 9);
        var moved = DriftVerdicts.Judge(new DriftSample(null, reference, 0),
            new DriftSample(null, new Dictionary<string, long> { ["a"] = 200, ["b"] = 300, ["c"] = 500 }, 0), DriftThresholds.Default);
        Assert.Equal("drift", moved.Verdict);
        Assert.InRange(moved.JensenShannon!.Value, 0.3, 0.33); // √0.0993
    }

    [Fact]
    public void Null_rate_changes_and_small_samples_are_told_apart()
    {
        var values = Normal(1000, 0, 1, 3);
        var nulls = DriftVerdicts.Judge(new DriftSample(values, null, 0), new DriftSample(values, null, 250), DriftThresholds.Default);
        Assert.Equal("drift", nulls.Verdict);
        Assert.Contains(nulls.Reasons, r => r.StartsWith("null rate", StringComparison.Ordinal));
        var few = DriftVerdicts.Judge(new DriftSample(values, null, 0), new DriftSample(values[..10], null, 0), DriftThresholds.Default);
        Assert.Equal("insufficient", few.Verdict);
    }
}
