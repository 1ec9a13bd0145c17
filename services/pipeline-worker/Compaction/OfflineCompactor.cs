using FeatureStore.Contracts;
using FeatureStore.Domain;
using FeatureStore.PipelineWorker.Materialization;
using FeatureStore.Storage.Objects;

namespace FeatureStore.PipelineWorker.Compaction;

/// <summary>
/// Writes a compaction (docs/semantics.md, compaction): the files it rewrites are fetched, the rows each still shows (its masks
/// applied, <see cref="OfflineVisibility.SqlKept"/>) are gathered and written again as offline files cut by
/// <see cref="FileGroups"/> (<see cref="OfflineExport"/>), named after the compaction so a redelivered command overwrites them.
/// </summary>
public sealed class OfflineCompactor(IObjectStore objects, OfflineExport export, WorkerOptions options)
{
    private const int Downloads = 8;

    public async Task<(List<OfflineFile> Files, long Rows)> RunAsync(CompactOfflineHistory compaction,
        CancellationToken cancellationToken)
    {
        var directory = Directory.CreateDirectory(Path.Combine(options.WorkDirectory, $"compaction-{compaction.CompactionId:N}")).FullName;
        try
        {
            // Small files are many: fetched several at a time, each round trip to the object store costs more than its bytes.
            var local = compaction.Files.Select((_, i) => Path.Combine(directory, $"input-{i}.parquet")).ToList();
            await Parallel.ForEachAsync(Enumerable.Range(0, local.Count),
                new ParallelOptions { MaxDegreeOfParallelism = Downloads, CancellationToken = cancellationToken },
                async (i, token) => await objects.DownloadAsync(compaction.Files[i].Path, local[i], token));
            using var run = DuckDbRun.Open(options, local);
            var eventTime = DuckDbTypes.Quote(MaterializationSql.OfflineEventTime);
            run.Execute("CREATE TEMP TABLE compacted AS " + string.Join(" UNION ALL BY NAME ", compaction.Files.Select((f, i) =>
                $"SELECT * FROM read_parquet({DuckDbRun.Literal(local[i])}) WHERE {OfflineVisibility.SqlKept(eventTime, f.Masks)}")));
            // The rows come from materializations' (and compactions') writes, whose rows never meet (OfflineVisibility
            // .EventTiesPossible): they are tie-free together when each write was.
            var ties = compaction.Files.All(f => f.EventTies == false) ? false : (bool?)null;
            var files = await export.WriteAsync(run, "SELECT * FROM compacted",
                new OfflineTarget(compaction.Project, compaction.View, compaction.History, $"part-{compaction.CompactionId:N}-c",
                    compaction.RowsPerFile, ties), cancellationToken);
            return (files, files.Sum(f => f.RowCount)); // every row kept is in one file
        }
        finally
        {
            try { Directory.Delete(directory, recursive: true); }
            catch (IOException) { } // a leftover directory is cleaned with the work directory, not worth failing over
        }
    }
}
