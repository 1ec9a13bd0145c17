using FeatureStore.Domain;
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

    [Fact]
    public void The_reference_is_the_one_asked_for_else_declared_else_the_training_set_promoted_last_for_the_service()
    {
        var service = new FeatureServiceDefinition("churn", "scoring", [], [], new ObjectMetadata(null, null, null));
        var at = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        PromotedModel[] promoted =
        [
            new("churn", "churn", 2, "trained_v2", "training", "scoring", at),
            new("churn", "upsell", 5, "trained_upsell", "scoring", "other", at.AddDays(1)),
            new("churn", "retention", 1, "unrelated", "training", "other", at.AddDays(2)),
            new("other", "elsewhere", 1, "other_project", "scoring", "scoring", at.AddDays(3)),
        ];
        Assert.Equal("trained_upsell", DriftReference.Choose(null, service, promoted)); // trained on the service, promoted last
        var declared = service with
        {
            Drift = new DriftMonitoring(null, DriftMonitoring.DefaultWindow, "declared", DriftThresholds.Default,
                new Dictionary<string, DriftThresholds> { ["stats:spend"] = DriftThresholds.Default with { Psi = 0.5 } }),
        };
        Assert.Equal("declared", DriftReference.Choose(null, declared, promoted));
        Assert.Equal("asked", DriftReference.Choose("asked", declared, promoted));
        Assert.Null(DriftReference.Choose(null, service, promoted[2..]));

        Assert.Equal(0.5, DriftMonitoring.ThresholdsOf(declared.Drift, new FeatureRef("stats", "spend", 3)).Psi); // any version
        Assert.Equal(DriftThresholds.Default, DriftMonitoring.ThresholdsOf(declared.Drift, new FeatureRef("stats", "visits")));
        Assert.Equal(DriftThresholds.Default, DriftMonitoring.ThresholdsOf(null, new FeatureRef("stats", "spend")));
    }

    [Fact]
    public void A_numeric_distribution_shows_both_sides_in_the_bins_the_index_compares_and_its_index_is_theirs()
    {
        var reference = Normal(5000, 0, 1, 1);
        var current = Normal(5000, 0.5, 1, 99);
        var bins = DriftScores.NumericBins(reference, current);

        Assert.Equal(10, bins.Count); // cut at the reference's nine deciles
        Assert.StartsWith("≤ ", bins[0].Label);
        Assert.StartsWith("> ", bins[^1].Label);
        Assert.All(bins, b => Assert.InRange(b.Reference, 0.09, 0.11)); // a tenth of the reference each
        Assert.Equal(1, bins.Sum(b => b.Reference), 3);
        Assert.Equal(1, bins.Sum(b => b.Current), 3);
        Assert.True(bins[^1].Current > 2 * bins[0].Current, "a shift up moves the current sample to the upper bins");
        var psi = bins.Sum(b => (Math.Max(b.Current, 1e-4) - Math.Max(b.Reference, 1e-4)) * Math.Log(Math.Max(b.Current, 1e-4) /
            Math.Max(b.Reference, 1e-4)));
        Assert.Equal(DriftScores.PopulationStabilityIndex(reference, current), psi, 3);
    }

    [Fact]
    public void A_category_distribution_keeps_the_most_frequent_and_groups_the_rest()
    {
        var reference = Enumerable.Range(0, 25).ToDictionary(i => $"c{i:00}", i => (long)(100 - i));
        var current = new Dictionary<string, long> { ["c00"] = 10, ["new"] = 990 };
        var bins = DriftScores.CategoryBins(reference, current, top: 5);

        Assert.Equal(6, bins.Count);
        Assert.Equal(["new", "c00", "c01", "c02", "c03", "(other)"], bins.Select(b => b.Label));
        Assert.Equal(0.99, bins[0].Current, 6);
        Assert.Equal(0, bins[0].Reference, 6);
        Assert.Equal(1, bins.Sum(b => b.Reference), 5);
        Assert.Equal(1, bins.Sum(b => b.Current), 5);
    }

    [Fact]
    public void Too_few_values_to_judge_still_show_their_distribution()
    {
        var judged = DriftVerdicts.Judge(new DriftSample([1, 2, 3], null, 0), new DriftSample([2, 3, 4], null, 1), DriftThresholds.Default);

        Assert.Equal("insufficient", judged.Verdict);
        Assert.Null(judged.Psi);
        Assert.NotNull(judged.Distribution);
        Assert.Equal(1, judged.Distribution!.Sum(b => b.Current), 6);
    }
}
