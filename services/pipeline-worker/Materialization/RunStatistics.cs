using System.Collections;
using System.Globalization;
using FeatureStore.Contracts;
using FeatureStore.Domain;

namespace FeatureStore.PipelineWorker.Materialization;

/// <summary>Per-feature statistics of a run, read back from <see cref="MaterializationSql.Statistics"/>.</summary>
public static class RunStatistics
{
    private const int ColumnsPerFeature = 8;
    private static readonly string[] QuantileNames = ["p05", "p25", "p50", "p75", "p95"];

    public static Dictionary<string, FeatureStatistics> Read(DuckDbRun run, MaterializationSql sql, FeatureViewDefinition view)
    {
        using var command = run.Command(sql.Statistics());
        using var reader = command.ExecuteReader();
        reader.Read();
        var statistics = new Dictionary<string, FeatureStatistics>();
        for (var f = 0; f < view.Features.Count; f++)
        {
            var at = f * ColumnsPerFeature;
            double? Number(int i) =>
                reader.IsDBNull(at + i) ? null : Convert.ToDouble(reader.GetValue(at + i), CultureInfo.InvariantCulture);
            IReadOnlyDictionary<string, double>? quantiles = null;
            if (!reader.IsDBNull(at + 6) && reader.GetValue(at + 6) is IEnumerable values)
            {
                var points = values.Cast<object?>()
                    .Select(v => v is null ? (double?)null : Convert.ToDouble(v, CultureInfo.InvariantCulture)).ToList();
                if (points.All(p => p is not null)) quantiles = QuantileNames.Zip(points).ToDictionary(p => p.First, p => p.Second!.Value);
            }
            statistics[view.Features[f].Name] = new FeatureStatistics(
                Convert.ToInt64(reader.GetValue(at), CultureInfo.InvariantCulture),
                Convert.ToInt64(reader.GetValue(at + 1), CultureInfo.InvariantCulture),
                Number(2), Number(3), Number(4), Number(5), quantiles,
                reader.IsDBNull(at + 7) ? null : Convert.ToInt64(reader.GetValue(at + 7), CultureInfo.InvariantCulture));
        }
        return statistics;
    }
}
