using FeatureStore.Contracts;

namespace FeatureStore.ModelApi.Training;

/// <summary>
/// The receiver operating characteristic of held-out scores: for each distinct probability taken as the threshold (a row is
/// called a churner at or above it), the share of stayers called churners (x) and of churners found (y), from (0, 0) to (1, 1).
/// Long curves are thinned to at most <see cref="MaxPoints"/> points, ends kept, so a model version's details stay small.
/// </summary>
public static class RocCurve
{
    public const int MaxPoints = 101;

    public static IReadOnlyList<RocPointDto> Of(IEnumerable<(bool Label, double Probability)> scored)
    {
        var ranked = scored.Where(s => double.IsFinite(s.Probability)).OrderByDescending(s => s.Probability).ToList();
        long positives = ranked.Count(s => s.Label), negatives = ranked.Count - positives;
        if (positives == 0 || negatives == 0) return [];
        var points = new List<RocPointDto> { new(1, 0, 0) };
        long truePositives = 0, falsePositives = 0;
        for (var i = 0; i < ranked.Count;)
        {
            var threshold = ranked[i].Probability;
            for (; i < ranked.Count && ranked[i].Probability == threshold; i++)
                if (ranked[i].Label) truePositives++;
                else falsePositives++;
            points.Add(new RocPointDto(Math.Round(threshold, 6), Math.Round((double)falsePositives / negatives, 6),
                Math.Round((double)truePositives / positives, 6)));
        }
        return Thin(points);
    }

    private static List<RocPointDto> Thin(List<RocPointDto> points)
    {
        if (points.Count <= MaxPoints) return points;
        var step = (points.Count - 1) / (double)(MaxPoints - 1);
        return Enumerable.Range(0, MaxPoints).Select(k => points[(int)Math.Round(k * step)]).ToList();
    }
}
