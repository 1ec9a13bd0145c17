namespace FeatureStore.Domain.Monitoring;

/// <summary>
/// How far a feature's current values moved from a reference sample: the population stability index over bins cut at the
/// reference's deciles and the two-sample Kolmogorov–Smirnov statistic (with its asymptotic p-value) for numbers, the
/// Jensen–Shannon distance (the square root of the base-2 divergence, 0 to 1) of category frequencies for everything else, and
/// the change of the null rate.
/// </summary>
public static class DriftScores
{
    /// <summary>Bins hold at least this share in either sample, so an empty bin does not blow the index up.</summary>
    private const double Floor = 1e-4;

    /// <summary>PSI = Σ (current − reference) · ln(current / reference) over bins cut at the reference's deciles.</summary>
    public static double PopulationStabilityIndex(double[] reference, double[] current)
    {
        if (reference.Length == 0 || current.Length == 0) return 0;
        var edges = DecileEdges(reference);
        var (r, c) = (Shares(reference, edges), Shares(current, edges));
        return r.Zip(c).Sum(pair =>
        {
            var (before, now) = (Math.Max(pair.First, Floor), Math.Max(pair.Second, Floor));
            return (now - before) * Math.Log(now / before);
        });
    }

    /// <summary>The largest distance between the two empirical distribution functions, and the asymptotic p-value of seeing
    /// one as large when both samples come from one distribution.</summary>
    public static (double Statistic, double PValue) KolmogorovSmirnov(double[] reference, double[] current)
    {
        if (reference.Length == 0 || current.Length == 0) return (0, 1);
        var (a, b) = (reference.Order().ToArray(), current.Order().ToArray());
        int i = 0, j = 0;
        double d = 0;
        while (i < a.Length && j < b.Length)
        {
            var x = Math.Min(a[i], b[j]);
            while (i < a.Length && a[i] <= x) i++;
            while (j < b.Length && b[j] <= x) j++;
            d = Math.Max(d, Math.Abs((double)i / a.Length - (double)j / b.Length));
        }
        var n = (double)a.Length * b.Length / (a.Length + b.Length);
        var lambda = (Math.Sqrt(n) + 0.12 + 0.11 / Math.Sqrt(n)) * d;
        return (d, KolmogorovTail(lambda));
    }

    /// <summary>The JS distance of the category frequencies of two samples: 0 for the same shares, 1 for disjoint ones (a metric;
    /// the divergence itself, its square, shrinks real shifts below noise-sized numbers).</summary>
    public static double JensenShannon(IReadOnlyDictionary<string, long> reference, IReadOnlyDictionary<string, long> current)
    {
        var (rt, ct) = (Total(reference), Total(current));
        double divergence = 0;
        foreach (var category in reference.Keys.Union(current.Keys))
        {
            var p = reference.GetValueOrDefault(category) / rt;
            var q = current.GetValueOrDefault(category) / ct;
            var m = (p + q) / 2;
            if (p > 0) divergence += 0.5 * p * Math.Log2(p / m);
            if (q > 0) divergence += 0.5 * q * Math.Log2(q / m);
        }
        return Math.Sqrt(Math.Clamp(divergence, 0, 1));
    }

    /// <summary>Both samples' shares in the bins the PSI is computed over (cut at the reference's deciles), to be drawn side by
    /// side.</summary>
    public static IReadOnlyList<DriftBin> NumericBins(double[] reference, double[] current)
    {
        if (reference.Length == 0 || current.Length == 0) return [];
        var edges = DecileEdges(reference);
        var (r, c) = (Shares(reference, edges), Shares(current, edges));
        return r.Select((share, i) => new DriftBin(BinLabel(edges, i), Math.Round(share, 6), Math.Round(c[i], 6))).ToList();
    }

    /// <summary>Both samples' shares of their <paramref name="top"/> most frequent categories (over both), the rest as one
    /// <c>(other)</c> bin.</summary>
    public static IReadOnlyList<DriftBin> CategoryBins(IReadOnlyDictionary<string, long> reference,
        IReadOnlyDictionary<string, long> current, int top = 20)
    {
        var (rt, ct) = (Total(reference), Total(current));
        var ranked = reference.Keys.Union(current.Keys)
            .OrderByDescending(k => reference.GetValueOrDefault(k) + current.GetValueOrDefault(k)).ThenBy(k => k, StringComparer.Ordinal)
            .ToList();
        var bins = ranked.Take(top).Select(k => new DriftBin(k, Math.Round(reference.GetValueOrDefault(k) / rt, 6),
            Math.Round(current.GetValueOrDefault(k) / ct, 6))).ToList();
        if (ranked.Count > top)
            bins.Add(new DriftBin("(other)", Math.Round(ranked.Skip(top).Sum(k => reference.GetValueOrDefault(k)) / rt, 6),
                Math.Round(ranked.Skip(top).Sum(k => current.GetValueOrDefault(k)) / ct, 6)));
        return bins;
    }

    private static double Total(IReadOnlyDictionary<string, long> counts) => Math.Max(1, counts.Values.Sum());

    private static double[] DecileEdges(double[] reference)
    {
        var sorted = reference.Order().ToArray();
        return Enumerable.Range(1, 9).Select(d => Quantile(sorted, d / 10.0)).Distinct().ToArray();
    }

    private static string BinLabel(double[] edges, int bin) => edges.Length == 0 ? "all"
        : bin == 0 ? $"≤ {Number(edges[0])}"
        : bin == edges.Length ? $"> {Number(edges[^1])}"
        : $"({Number(edges[bin - 1])}, {Number(edges[bin])}]";

    private static string Number(double value) => value.ToString("G4", System.Globalization.CultureInfo.InvariantCulture);

    private static double Quantile(double[] sorted, double q)
    {
        var position = q * (sorted.Length - 1);
        var lower = (int)Math.Floor(position);
        var upper = Math.Min(lower + 1, sorted.Length - 1);
        return sorted[lower] + (sorted[upper] - sorted[lower]) * (position - lower);
    }

    /// <summary>The share of values in each bin: (−∞, e0], (e0, e1], …, (e_last, ∞).</summary>
    private static double[] Shares(double[] values, double[] edges)
    {
        var counts = new double[edges.Length + 1];
        foreach (var value in values)
        {
            var bin = Array.BinarySearch(edges, value);
            counts[bin >= 0 ? bin : ~bin]++;
        }
        return counts.Select(c => c / values.Length).ToArray();
    }

    /// <summary>Q_KS(λ) = 2 Σ (−1)^(k−1) e^(−2k²λ²), the Kolmogorov distribution's upper tail.</summary>
    private static double KolmogorovTail(double lambda)
    {
        if (lambda < 1e-3) return 1;
        double sum = 0;
        for (var k = 1; k <= 100; k++)
        {
            var term = Math.Exp(-2 * k * k * lambda * lambda);
            sum += (k % 2 == 1 ? 1 : -1) * term;
            if (term < 1e-12) break;
        }
        return Math.Clamp(2 * sum, 0, 1);
    }
}

/// <summary>One bin of a feature's distribution in a drift check: its label (a value range or a category) and the share of each
/// side's values in it.</summary>
public sealed record DriftBin(string Label, double Reference, double Current);

/// <summary>When a feature counts as drifted: any score past its threshold. Defaults follow common practice (PSI 0.2 is a
/// significant shift; KS needs both a small p-value and a distance worth acting on, so large samples do not flag noise).</summary>
public sealed record DriftThresholds(double Psi = 0.2, double KsStatistic = 0.1, double KsPValue = 0.01, double JensenShannon = 0.1,
    double NullRateChange = 0.1, int MinimumValues = 50)
{
    public const int MaxMinimumValues = 1_000_000;

    public static readonly DriftThresholds Default = new();
}
