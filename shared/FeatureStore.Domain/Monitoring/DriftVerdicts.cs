namespace FeatureStore.Domain.Monitoring;

/// <summary>A feature's values on one side of a drift check: the non-null numbers (numeric features) or category counts (others),
/// and how many were null.</summary>
public sealed record DriftSample(double[]? Numbers, IReadOnlyDictionary<string, long>? Categories, long Nulls)
{
    public long Values => Numbers?.Length ?? Categories?.Values.Sum() ?? 0;
    public long Rows => Values + Nulls;
    public double? NullRate => Rows > 0 ? (double)Nulls / Rows : null;
}

/// <summary>The scores of one feature and the verdict <see cref="DriftThresholds"/> give them.
/// <see cref="Distribution"/>: both sides' shares in the bins the scores compare.</summary>
public sealed record DriftJudgement(double? Psi, double? KsStatistic, double? KsPValue, double? JensenShannon, string Verdict,
    IReadOnlyList<string> Reasons, IReadOnlyList<DriftBin>? Distribution = null);

/// <summary>The one rule turning scores into a verdict: <c>drift</c> when any score passes its threshold, <c>insufficient</c> when
/// either side has fewer values than the minimum, <c>ok</c> otherwise.</summary>
public static class DriftVerdicts
{
    public static DriftJudgement Judge(DriftSample reference, DriftSample current, DriftThresholds thresholds)
    {
        var distribution = Distribution(reference, current); // drawn even when too few values to judge
        if (reference.Values < thresholds.MinimumValues || current.Values < thresholds.MinimumValues)
            return new DriftJudgement(null, null, null, null, "insufficient",
                [$"{reference.Values} reference and {current.Values} current values; at least {thresholds.MinimumValues} each are needed"],
                distribution);
        var reasons = new List<string>();
        double? psi = null, ks = null, p = null, js = null;
        if (reference.Numbers is { } r && current.Numbers is { } c)
        {
            psi = DriftScores.PopulationStabilityIndex(r, c);
            (ks, p) = DriftScores.KolmogorovSmirnov(r, c);
            if (psi >= thresholds.Psi) reasons.Add($"PSI {psi:F3} ≥ {thresholds.Psi}");
            if (ks >= thresholds.KsStatistic && p < thresholds.KsPValue)
                reasons.Add($"KS distance {ks:F3} ≥ {thresholds.KsStatistic} (p {p:G3} < {thresholds.KsPValue})");
        }
        else
        {
            js = DriftScores.JensenShannon(Categories(reference), Categories(current));
            if (js >= thresholds.JensenShannon) reasons.Add($"Jensen–Shannon distance {js:F3} ≥ {thresholds.JensenShannon}");
        }
        var nullChange = Math.Abs((current.NullRate ?? 0) - (reference.NullRate ?? 0));
        if (nullChange >= thresholds.NullRateChange)
            reasons.Add($"null rate moved {reference.NullRate:P1} → {current.NullRate:P1}");
        return new DriftJudgement(psi, ks, p, js, reasons.Count > 0 ? "drift" : "ok", reasons, distribution);
    }

    private static IReadOnlyList<DriftBin> Distribution(DriftSample reference, DriftSample current) =>
        reference.Numbers is { } r && current.Numbers is { } c ? DriftScores.NumericBins(r, c)
            : DriftScores.CategoryBins(Categories(reference), Categories(current));

    private static IReadOnlyDictionary<string, long> Categories(DriftSample sample) =>
        sample.Categories ?? new Dictionary<string, long>();
}
