using FeatureStore.Contracts;
using FeatureStore.ModelApi.Storage;

namespace FeatureStore.ModelApi.Performance;

/// <summary>
/// How each model version did on the outcomes recorded so far: AUC (the chance a churner was scored above a stayer, ties
/// half), precision and recall at the version's threshold, calibration in ten bins of predicted probability, and the same
/// per period of <c>bucket</c> length over time.
/// </summary>
public static class ModelPerformance
{
    public static ModelPerformanceDto Of(string model, DateTimeOffset start, DateTimeOffset end, TimeSpan bucket,
        IReadOnlyList<MatchedOutcome> outcomes) =>
        new(model, start, end, outcomes.GroupBy(o => o.Version).OrderBy(g => g.Key).Select(version =>
        {
            var all = version.ToList();
            var points = all.GroupBy(o => start + bucket * Math.Floor((o.OutcomeAt - start) / bucket)).OrderBy(g => g.Key)
                .Select(g => Point(g.Key, g.ToList())).ToList();
            return new VersionPerformanceDto(version.Key, Point(start, all), Calibration(all), points);
        }).ToList());

    private static PerformancePointDto Point(DateTimeOffset start, IReadOnlyList<MatchedOutcome> outcomes)
    {
        long truePositive = outcomes.Count(o => o.Label && o.Probability >= o.Threshold);
        long predictedPositive = outcomes.Count(o => o.Probability >= o.Threshold);
        long positives = outcomes.Count(o => o.Label);
        return new PerformancePointDto(start, outcomes.Count, positives, Auc(outcomes),
            predictedPositive > 0 ? Math.Round((double)truePositive / predictedPositive, 6) : null,
            positives > 0 ? Math.Round((double)truePositive / positives, 6) : null);
    }

    /// <summary>Mann–Whitney: over every (churner, stayer) pair, the share where the churner scored higher (ties count half).</summary>
    public static double? Auc(IReadOnlyList<MatchedOutcome> outcomes)
    {
        var ranked = outcomes.OrderBy(o => o.Probability).ToList();
        long positives = ranked.Count(o => o.Label), negatives = ranked.Count - positives;
        if (positives == 0 || negatives == 0) return null;
        double rankSum = 0;
        for (var i = 0; i < ranked.Count;)
        {
            var j = i;
            while (j < ranked.Count && ranked[j].Probability == ranked[i].Probability) j++;
            var averageRank = (i + 1 + j) / 2.0; // ranks i+1 … j share their average
            rankSum += averageRank * ranked.Skip(i).Take(j - i).Count(o => o.Label);
            i = j;
        }
        return Math.Round((rankSum - positives * (positives + 1) / 2.0) / ((double)positives * negatives), 6);
    }

    private static IReadOnlyList<CalibrationBinDto> Calibration(IReadOnlyList<MatchedOutcome> outcomes) =>
        outcomes.GroupBy(o => Math.Min(9, (int)(o.Probability * 10))).OrderBy(g => g.Key)
            .Select(g => new CalibrationBinDto(g.Key / 10.0, (g.Key + 1) / 10.0, g.Count(), Math.Round(g.Average(o => o.Probability), 6),
                Math.Round(g.Average(o => o.Label ? 1.0 : 0.0), 6))).ToList();
}
