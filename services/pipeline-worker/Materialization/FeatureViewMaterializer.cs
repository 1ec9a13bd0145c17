using System.Diagnostics;
using DuckDB.NET.Data;
using FeatureStore.Contracts;
using FeatureStore.Domain;
using FeatureStore.DuckDb;

namespace FeatureStore.PipelineWorker.Materialization;

/// <summary>
/// Which part of which job a run is: partitions split a job's entities by key hash. A view over a push source also
/// reads the source's push log up to <see cref="PushCut"/>.
/// </summary>
public sealed record RunTarget(Guid JobId, int PartitionIndex = 0, int PartitionCount = 1, long? PushCut = null);

public sealed record MaterializationOutcome(
    long RowsRead, long RowsInWindow, long RowsWritten, long OnlineKeysWritten, IReadOnlyList<OfflineFile> OfflineFiles,
    long InvalidRows, IReadOnlyDictionary<string, long> RuleFailures,
    IReadOnlyDictionary<string, FeatureStatistics> Statistics, TimeSpan Duration, DateTimeOffset? NewestEventTime = null);

/// <summary>
/// Materializes one view over a window (inclusive) for one partition of a job, in DuckDB: the view's
/// rows are computed once, slice by slice into local Parquet files (<see cref="MaterializationSql"/>),
/// so memory stays bounded however large the input; if more of them break validation rules than
/// the view allows, the run fails before anything is written anywhere; otherwise the offline table is
/// written (when the view is offline), the newest row per entity goes online (when it is online), and
/// statistics are taken.
/// </summary>
public sealed class FeatureViewMaterializer(SourceCache sources, OnlineExport online, OfflineExport offline, WorkerOptions options,
    OnlineRetraction? retraction = null)
{
    public static readonly ActivitySource Telemetry = new("FeatureStore.PipelineWorker");

    public async Task<MaterializationOutcome> RunAsync(FeatureViewDefinition view, TimeWindow window, RunTarget target,
        Action<long, long>? progress, CancellationToken cancellationToken)
    {
        using var activity = Telemetry.StartActivity("materialize");
        activity?.SetTag("featurestore.view", view.Name);
        activity?.SetTag("featurestore.version", view.Version);
        activity?.SetTag("featurestore.partition", target.PartitionIndex);
        var clock = Stopwatch.StartNew();
        var files = await sources.LocalFilesAsync(view, target.PushCut, cancellationToken);
        // DuckDB works synchronously; keep it off the caller's thread.
        return await Task.Run(() =>
            ComputeAsync(view, window, target, files, progress ?? ((_, _) => { }), clock, cancellationToken), cancellationToken);
    }

    private async Task<MaterializationOutcome> ComputeAsync(FeatureViewDefinition view, TimeWindow window, RunTarget target,
        IReadOnlyList<string> files,
        Action<long, long> progress, Stopwatch clock, CancellationToken cancellationToken)
    {
        // Checked again here, not only at apply: a definition stored before a rule existed runs nothing refused.
        if (view.TransformationSql?.TrimEnd().TrimEnd(';') is { } select && SqlFunctionPolicy.Check(select, "source") is { } refused)
            throw new MaterializationException($"the view's transformation is refused: {refused}");
        using var run = Open(files);
        var sql = new MaterializationSql(view, window, target.PartitionIndex, target.PartitionCount);
        Step(() => run.Execute(sql.Transformed), "the view's transformation does not run");
        var columns = run.Describe("transformed");
        CheckColumns(view, sql, columns);
        var rowsRead = run.Scalar<long>("SELECT count(*) FROM source");
        cancellationToken.ThrowIfCancellationRequested();

        var slices = SliceFiles(run, rowsRead, target.PartitionCount);
        var hasRowNumber = columns.Any(c => c.Name == FeatureNames.FileRowNumber);
        for (var slice = 0; slice < slices.Count; slice++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var (index, path) = (slice, slices[slice]);
            Step(() => run.Execute(sql.ComputeSlice(index, slices.Count, path, hasRowNumber), options.QueryTimeLimit),
                "computing the view failed");
        }
        run.Execute(MaterializationSql.ResultView(Path.Combine(run.Directory, "result", "*.parquet")));
        var (rows, invalid, failures, newest) = Counts(run, sql);
        if (rows > 0 && (double)invalid / rows > view.MaxInvalidRate)
            throw new MaterializationException(
                $"validation failed: {invalid} of {rows} rows ({100.0 * invalid / rows:F2}%) broke rules, " +
                $"more than the view allows ({100 * view.MaxInvalidRate:F2}%): " +
                string.Join(", ", failures.Where(f => f.Value > 0).Select(f => $"{f.Key} {f.Value}")) + "; nothing was written");
        cancellationToken.ThrowIfCancellationRequested();

        // One output after the other: each holds DuckDB memory of its own, and side by side their peaks
        // would add up (measured: +60-120 MB at 20M rows) where one at a time they stay flat. Offline
        // files stay invisible until the job commits, so they go first: a failure after them shows nothing.
        // Statistics go last: run before the online slices, their scan of every slice leaves the native
        // heap larger for those to grow on (measured: +100 MB peak at 20M rows).
        var offlineFiles = view.Offline
            ? await offline.WriteAsync(run, sql, view, target.JobId, target.PartitionIndex, EventTies(run, sql, view, slices),
                cancellationToken) : [];
        var (entities, written) = view.Online ? await WriteOnlineAsync(run, sql, view, slices, progress, cancellationToken) : (0L, 0L);
        // After the writes (they only move entities forward): entities whose newest row in the window is gone.
        if (view.Online && retraction is not null)
            written += await retraction.RunAsync(run, sql, view, window,
                columns.Where(c => c.Name != FeatureNames.FileRowNumber).ToList(), cancellationToken);
        var statistics = RunStatistics.Read(run, sql, view);
        return new MaterializationOutcome(rowsRead, rows, entities, written, offlineFiles, invalid, failures, statistics, clock.Elapsed,
            newest);
    }

    private async Task<(long Rows, long Written)> WriteOnlineAsync(DuckDbRun run, MaterializationSql sql, FeatureViewDefinition view,
        IReadOnlyList<string> slices, Action<long, long> progress, CancellationToken cancellationToken)
    {
        var estimate = Math.Max(1, run.Scalar<long>(sql.EntityEstimate(slices)));
        progress(0, estimate);
        var (entities, written) = await online.WriteAsync(run, sql, view, slices,
            done => progress(done, Math.Max(done, estimate)), cancellationToken);
        progress(entities, entities);
        return (entities, written);
    }

    /// <summary>
    /// Whether two of the run's rows share keys and event time, for the readers' created-time tie-break (only a view with created
    /// times has one; null, not checked, for the others). Slices hold disjoint entities, so each is checked alone.
    /// </summary>
    private static bool? EventTies(DuckDbRun run, MaterializationSql sql, FeatureViewDefinition view, IReadOnlyList<string> slices) =>
        view.Source.CreatedTimestampField is null ? null : slices.Any(slice => run.Scalar<bool>(sql.EventTiesIn(slice)));

    /// <summary>One result file per slice: enough slices that none holds more than <see cref="WorkerOptions.RowsPerSlice"/> source
    /// rows.</summary>
    private List<string> SliceFiles(DuckDbRun run, long rowsRead, int partitions)
    {
        var directory = Directory.CreateDirectory(Path.Combine(run.Directory, "result")).FullName;
        var count = (int)Math.Clamp((rowsRead / Math.Max(1, partitions) + options.RowsPerSlice - 1) / Math.Max(1, options.RowsPerSlice),
            1, 4096);
        return Enumerable.Range(0, count).Select(i => Path.Combine(directory, $"slice-{i}.parquet")).ToList();
    }

    private DuckDbRun Open(IReadOnlyList<string> files)
    {
        try { return DuckDbRun.Open(options, files); }
        catch (DuckDBException e) { throw new MaterializationException($"the source is not a readable Parquet file: {e.Message}", e); }
    }

    private static void Step(Action action, string what)
    {
        try { action(); }
        catch (DuckDBException e) { throw new MaterializationException($"{what}: {e.Message}", e); }
        catch (QueryTimeLimitException e) { throw new MaterializationException($"{what}: {e.Message}", e); }
    }

    /// <summary>The data may differ from what the view declares: name what is missing or does not fit, before computing.</summary>
    private static void CheckColumns(FeatureViewDefinition view, MaterializationSql sql, IReadOnlyList<(string Name, string Type)> columns)
    {
        var available = columns.Where(c => c.Name != FeatureNames.FileRowNumber).ToList();
        foreach (var name in sql.RequiredColumns)
            if (available.All(c => c.Name != name))
                throw new MaterializationException(
                    $"the source has no column '{name}' (it has: {string.Join(", ", available.Select(c => c.Name))})");
        var aggregated = (view.Aggregations ?? []).Select(a => a.Name).ToHashSet();
        foreach (var feature in view.Features.Where(f => !aggregated.Contains(f.Name)))
        {
            var column = available.First(c => c.Name == feature.Name);
            if (DuckDbTypes.FromSql(column.Type) is not { } type || !feature.Type.CanHold(type))
                throw new MaterializationException($"column '{feature.Name}' is {column.Type} in the source, " +
                    $"which does not fit the declared type {feature.Type.ToName()}");
        }
    }

    /// <summary>Rows in the window, how many broke rules (and which), and the newest event time among them.</summary>
    private static (long Rows, long Invalid, Dictionary<string, long> Failures, DateTimeOffset? Newest) Counts(DuckDbRun run,
        MaterializationSql sql)
    {
        using var command = run.Command(sql.ValidationCounts());
        using var reader = command.ExecuteReader();
        reader.Read();
        var failures = sql.RuleColumns.Select((rule, i) => (Key: $"{rule.Feature}.{rule.Rule}", Count: reader.GetInt64(3 + i)))
            .ToDictionary(f => f.Key, f => f.Count);
        var newest = reader.IsDBNull(2) ? null : FeatureValues.ToTimestamp(reader.GetValue(2));
        return (reader.GetInt64(0), reader.GetInt64(1), failures, newest);
    }
}
