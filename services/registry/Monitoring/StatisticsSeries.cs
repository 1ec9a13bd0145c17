using System.Text.Json;
using FeatureStore.Contracts;
using FeatureStore.Domain;

namespace FeatureStore.Registry.Monitoring;

/// <summary>Successful runs' statistics turned inside out: per feature, one point per run (oldest first).</summary>
public static class StatisticsSeries
{
    public static StatisticsSeriesDto Of(string project, string view, DateTimeOffset start, DateTimeOffset end,
        IReadOnlyList<MaterializationJob> runs, string? feature)
    {
        var read = runs.Select(job => (Job: job, Statistics: job.StatisticsJson is null ? null
            : JsonSerializer.Deserialize<RunStatisticsDto>(job.StatisticsJson, DefinitionJson.Options))).ToList();
        var names = read.SelectMany(r => r.Statistics?.Features.Keys ?? []).Distinct()
            .Where(name => feature is null || name == feature).Order(StringComparer.Ordinal);
        var features = names.Select(name => new FeatureStatisticsSeriesDto(name, read
            .Where(r => r.Statistics?.Features.ContainsKey(name) == true)
            .Select(r => Point(r.Job, name, r.Statistics!)).ToList())).ToList();
        return new StatisticsSeriesDto(project, view, start, end,
            runs.Select(j => new StatisticsRunDto(j.Id, j.Version, j.FinishedAt!.Value, j.Window.Start, j.Window.End, j.RowsInWindow,
                j.InvalidRows)).ToList(), features);
    }

    private static FeatureStatisticsPointDto Point(MaterializationJob job, string feature, RunStatisticsDto run)
    {
        var s = run.Features[feature];
        // Rule failures are counted per "feature.rule".
        var failures = run.RuleFailures.Where(f => f.Key.StartsWith(feature + ".", StringComparison.Ordinal))
            .ToDictionary(f => f.Key[(feature.Length + 1)..], f => f.Value);
        // Count is of values (nulls apart), so a null rate is over both.
        var rows = s.Count + s.Nulls;
        return new FeatureStatisticsPointDto(job.Id, job.FinishedAt!.Value, s.Count, s.Nulls, rows > 0 ? (double)s.Nulls / rows : null,
            s.Mean, s.StdDev, s.Min, s.Max, s.Quantiles, s.Distinct, failures);
    }
}
