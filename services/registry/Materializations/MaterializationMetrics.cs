using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using FeatureStore.Domain;
using FeatureStore.Registry.Storage;

namespace FeatureStore.Registry.Materializations;

/// <summary>
/// What an operator alerts on about materialization, per view: runs by outcome, their duration and rows, and when the last
/// successful run finished (Prometheus: <c>featurestore_materialization_runs_total</c>,
/// <c>featurestore_materialization_duration_seconds</c>, <c>featurestore_materialization_rows_total</c>,
/// <c>featurestore_materialization_last_success_timestamp_seconds</c>). Recorded where a job ends: the registry.
/// </summary>
public sealed class MaterializationMetrics
{
    private readonly Counter<long> _runs;
    private readonly Histogram<double> _duration;
    private readonly Counter<long> _rows;
    private readonly ConcurrentDictionary<(string Project, string View), double> _lastSuccess = new();

    public MaterializationMetrics(IMeterFactory meters)
    {
        var meter = meters.Create("FeatureStore.Registry.Materialization");
        _runs = meter.CreateCounter<long>("featurestore.materialization.runs", "{run}", "Materialization jobs ended, by outcome");
        _duration = meter.CreateHistogram<double>("featurestore.materialization.duration", "s",
            "How long a materialization job ran, from its first partition's start to its end");
        _rows = meter.CreateCounter<long>("featurestore.materialization.rows", "{row}", "Rows written by successful jobs");
        meter.CreateObservableGauge("featurestore.materialization.last_success_timestamp", LastSuccess, "s",
            "When the view's last successful materialization finished (Unix time)");
    }

    public void Ended(MaterializationJob job)
    {
        var tags = new TagList
        {
            { "project", job.Project }, { "view", job.View }, { "outcome", job.Status.ToString().ToLowerInvariant() },
        };
        _runs.Add(1, tags);
        if (job.Duration is { } duration) _duration.Record(duration.TotalSeconds, tags);
        if (job.Status != JobStatus.Succeeded) return;
        _rows.Add(job.RowsWritten ?? 0, tags);
        if (job.FinishedAt is { } at) _lastSuccess[(job.Project, job.View)] = at.ToUnixTimeMilliseconds() / 1000.0;
    }

    /// <summary>Each view's last success as the job store knows it (at start), unless a run has ended here since.</summary>
    public void Seed(IEnumerable<ViewRunSummary> runs)
    {
        foreach (var run in runs)
            if (run.LastSuccessAt is { } at) _lastSuccess.TryAdd((run.Project, run.View), at.ToUnixTimeMilliseconds() / 1000.0);
    }

    private IEnumerable<Measurement<double>> LastSuccess() => _lastSuccess.Select(entry =>
        new Measurement<double>(entry.Value, new KeyValuePair<string, object?>("project", entry.Key.Project),
            new KeyValuePair<string, object?>("view", entry.Key.View)));
}
