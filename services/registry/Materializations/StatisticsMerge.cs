using FeatureStore.Contracts;

namespace FeatureStore.Registry.Materializations;

/// <summary>
/// A job's statistics from its partitions'. Counts, nulls, mean, standard deviation (pooled), min and
/// max combine exactly; quantiles (count-weighted) and distinct counts (summed) only approximately,
/// which the result says.
/// </summary>
public static class StatisticsMerge
{
    public static RunStatisticsDto Merge(IReadOnlyList<RunStatisticsDto> partitions)
    {
        if (partitions.Count == 1) return partitions[0];
        var features = partitions.SelectMany(p => p.Features.Keys).Distinct()
            .ToDictionary(name => name, name => Merge(partitions.Select(p => p.Features.GetValueOrDefault(name))
                .OfType<FeatureStatistics>().ToList()));
        var failures = partitions.SelectMany(p => p.RuleFailures).GroupBy(f => f.Key).ToDictionary(g => g.Key, g => g.Sum(f => f.Value));
        return new RunStatisticsDto(features, partitions.Sum(p => p.InvalidRows), failures, Approximate: true);
    }

    private static FeatureStatistics Merge(IReadOnlyList<FeatureStatistics> parts)
    {
        var count = parts.Sum(p => p.Count);
        var withMean = parts.Where(p => p.Mean is not null && p.Count > 0).ToList();
        double? mean = withMean.Count == 0 ? null : withMean.Sum(p => p.Mean!.Value * p.Count) / withMean.Sum(p => p.Count);
        double? std = null;
        if (mean is { } m && count > 1 && withMean.All(p => p.StdDev is not null || p.Count == 1))
        {
            var squares = withMean.Sum(p => (p.Count - 1) * Math.Pow(p.StdDev ?? 0, 2) + p.Count * Math.Pow(p.Mean!.Value - m, 2));
            std = Math.Sqrt(squares / (withMean.Sum(p => p.Count) - 1));
        }
        var quantiles = parts.Where(p => p.Quantiles is not null && p.Count > 0).ToList();
        return new FeatureStatistics(count, parts.Sum(p => p.Nulls), mean, std,
            parts.Select(p => p.Min).Where(v => v is not null).DefaultIfEmpty().Min(),
            parts.Select(p => p.Max).Where(v => v is not null).DefaultIfEmpty().Max(),
            quantiles.Count == 0 ? null : quantiles[0].Quantiles!.Keys.ToDictionary(q => q,
                q => quantiles.Sum(p => p.Quantiles![q] * p.Count) / quantiles.Sum(p => p.Count)),
            parts.Any(p => p.Distinct is not null) ? parts.Sum(p => p.Distinct ?? 0) : null);
    }
}
