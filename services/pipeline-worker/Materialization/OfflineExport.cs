using FeatureStore.Contracts;
using FeatureStore.Domain;
using FeatureStore.Storage.Objects;

namespace FeatureStore.PipelineWorker.Materialization;

/// <summary>
/// Writes rows of a view history's offline table — a run's, or a compaction's — as Parquet files under the history
/// (<c>offline/{project}/{view}/v{history}/date=YYYY-MM-DD/…</c>, the first event date a file holds), uploaded to the object store.
/// Consecutive days share a file up to a target of rows (<see cref="WorkerOptions.OfflineRowsPerFile"/> for runs): a reader opens a
/// few files, not one per day (<see cref="FileGroups"/>). The files stay invisible until the registry catalogues them; file
/// names depend only on the job and partition (or compaction), so a retried run overwrites what an interrupted one left.
/// </summary>
public sealed class OfflineExport(IObjectStore objects, WorkerOptions options)
{
    private const string Rows = "offline_rows";
    private const string Days = "offline_days";
    private const string Day = "__day";
    private const string FileDate = "__date";

    /// <summary>Writes a run's rows (a job partition's); <paramref name="eventTies"/> is what the run knows of them
    /// (<see cref="OfflineTarget.EventTies"/>).</summary>
    public Task<List<OfflineFile>> WriteAsync(DuckDbRun run, MaterializationSql sql, FeatureViewDefinition view,
        Guid jobId, int partition, bool? eventTies,
        CancellationToken cancellationToken) =>
        WriteAsync(run, sql.OfflineRows, new OfflineTarget(view.Project, view.Name, view.HistoryVersion, $"part-{jobId:N}-p{partition}",
            options.OfflineRowsPerFile, eventTies), cancellationToken);

    /// <summary>Writes the rows of query <paramref name="rows"/> (the offline table's columns, event time as
    /// <see cref="MaterializationSql.OfflineEventTime"/>) as <paramref name="target"/>'s files.</summary>
    public async Task<List<OfflineFile>> WriteAsync(DuckDbRun run, string rows, OfflineTarget target,
        CancellationToken cancellationToken)
    {
        var directory = Path.Combine(run.Directory, "offline");
        var files = new List<OfflineFile>();
        var days = new List<(string Day, long Rows)>();
        run.Execute($"CREATE OR REPLACE TEMP VIEW {Rows} AS {rows}");
        using (var counts = run.Command($"SELECT {DayOf("r")} AS d, count(*) FROM {Rows} r GROUP BY d ORDER BY d"))
        using (var reader = counts.ExecuteReader())
            while (reader.Read()) days.Add((reader.GetString(0), reader.GetInt64(1)));
        if (days.Count == 0) return files;
        var groups = FileGroups.Cut(days, d => d.Rows, target.RowsPerFile)
            .SelectMany(file => file.Select(d => (d.Day, First: file[0].Day)));
        run.Execute($"CREATE OR REPLACE TEMP TABLE {Days} ({Day} VARCHAR, {FileDate} VARCHAR); INSERT INTO {Days} VALUES " +
                    string.Join(", ", groups.Select(d => $"({DuckDbRun.Literal(d.Day)}, {DuckDbRun.Literal(d.First)})")));
        run.Execute($"""
            COPY (SELECT r.*, d.{FileDate} FROM {Rows} r JOIN {Days} d ON d.{Day} = {DayOf("r")})
            TO {DuckDbRun.Literal(directory)} (FORMAT PARQUET, PARTITION_BY ({FileDate}),
                FILENAME_PATTERN {DuckDbRun.Literal(target.FilePrefix + "-{i}")}, OVERWRITE_OR_IGNORE true, COMPRESSION zstd)
            """);
        foreach (var file in Directory.GetFiles(directory, "*.parquet", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var date = Path.GetFileName(Path.GetDirectoryName(file)!).Split('=', 2)[1];
            using var command = run.Command($"SELECT count(*), min({MaterializationSql.OfflineEventTime}), " +
                $"max({MaterializationSql.OfflineEventTime}) FROM read_parquet({DuckDbRun.Literal(file)})");
            using var reader = command.ExecuteReader();
            reader.Read();
            var key = OfflineTables.FileKey(target.Project, target.View, target.History, date, Path.GetFileName(file));
            var (hash, size) = await objects.PutFileAsync(key, file, cancellationToken);
            files.Add(new OfflineFile(key, date, reader.GetInt64(0), FeatureValues.ToTimestamp(reader.GetValue(1))!.Value,
                FeatureValues.ToTimestamp(reader.GetValue(2))!.Value, hash, size, target.EventTies));
        }
        return files;
    }

    private static string DayOf(string alias) => $"strftime({alias}.{DuckDbTypes.Quote(MaterializationSql.OfflineEventTime)}, '%Y-%m-%d')";
}

/// <summary>Where offline files go (a view history), how their names start, how many rows a file should hold, and whether two of
/// the rows written may share keys and event time (<see cref="CataloguedFile.EventTies"/>: false when the writer knows none do,
/// null when it did not check), said of every file.</summary>
public sealed record OfflineTarget(string Project, string View, int History, string FilePrefix, long RowsPerFile, bool? EventTies = null);
