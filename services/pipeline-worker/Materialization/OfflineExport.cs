using FeatureStore.Contracts;
using FeatureStore.Domain;
using FeatureStore.Storage.Objects;

namespace FeatureStore.PipelineWorker.Materialization;

/// <summary>
/// Writes a run's rows as the offline feature table: Parquet files under the history the view's version writes
/// (<c>offline/{project}/{view}/v{history}/date=YYYY-MM-DD/…</c>, the first event date a file holds), uploaded to the object store.
/// Consecutive days share a file up to <see cref="WorkerOptions.OfflineRowsPerFile"/> rows: a reader opens a few files, not one
/// per day.
/// The files stay invisible until the registry catalogues the whole job; file names depend only on the
/// job and partition, so a retried run overwrites what an interrupted one left.
/// </summary>
public sealed class OfflineExport(IObjectStore objects, WorkerOptions options)
{
    public async Task<List<OfflineFile>> WriteAsync(DuckDbRun run, MaterializationSql sql, FeatureViewDefinition view,
        Guid jobId, int partition,
        CancellationToken cancellationToken)
    {
        var directory = Path.Combine(run.Directory, "offline");
        var files = new List<OfflineFile>();
        var days = new List<(string Day, long Rows)>();
        using (var counts = run.Command(sql.OfflineDayCounts))
        using (var reader = counts.ExecuteReader())
            while (reader.Read()) days.Add((reader.GetString(0), reader.GetInt64(1)));
        if (days.Count == 0) return files;
        run.Execute(MaterializationSql.OfflineFileGroups(FileGroups.Cut(days, d => d.Rows, options.OfflineRowsPerFile)
            .SelectMany(file => file.Select(d => (d.Day, file[0].Day)))));
        run.Execute(sql.OfflineCopy(directory, $"part-{jobId:N}-p{partition}"));
        foreach (var file in Directory.GetFiles(directory, "*.parquet", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var date = Path.GetFileName(Path.GetDirectoryName(file)!).Split('=', 2)[1];
            using var command = run.Command($"SELECT count(*), min({MaterializationSql.OfflineEventTime}), " +
                $"max({MaterializationSql.OfflineEventTime}) FROM read_parquet({DuckDbRun.Literal(file)})");
            using var reader = command.ExecuteReader();
            reader.Read();
            var key = OfflineTables.FileKey(view.Project, view.Name, view.HistoryVersion, date, Path.GetFileName(file));
            var (hash, size) = await objects.PutFileAsync(key, file, cancellationToken);
            files.Add(new OfflineFile(key, date, reader.GetInt64(0), FeatureValues.ToTimestamp(reader.GetValue(1))!.Value,
                FeatureValues.ToTimestamp(reader.GetValue(2))!.Value, hash, size));
        }
        return files;
    }
}
