using FeatureStore.Contracts;
using static FeatureStore.Storage.Sql.SqlCommands;

namespace FeatureStore.Registry.Storage;

/// <summary>The catalogue of feature services' logs.</summary>
public sealed partial class SqlRegistryStore
{
    private static readonly string[] LogFileColumns =
        ["path", "project", "service", "service_version", "log_date", "row_count", "min_time", "max_time", "content_hash", "size_bytes",
         "written_at"];

    public async Task RecordLogFilesAsync(FeatureLogWritten written, DateTimeOffset at, CancellationToken cancellationToken)
    {
        if (written.Files.Count == 0) return;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var (values, parameters) = ManyRows(LogFileColumns, written.Files.Select(f => new object?[]
        {
            f.Path, written.Project, written.Service, written.ServiceVersion, f.Date, f.RowCount, f.MinEventTime.ToUniversalTime(),
            f.MaxEventTime.ToUniversalTime(), f.ContentHash, f.SizeBytes, at.ToUniversalTime(),
        }).ToList());
        await ExecuteAsync(connection, null,
            $"INSERT INTO feature_log_files ({string.Join(", ", LogFileColumns)}) VALUES {values} ON CONFLICT (path) DO NOTHING",
            cancellationToken, parameters);
    }

    public async Task<IReadOnlyList<FeatureLogFile>> ListLogFilesAsync(string project, string service, DateTimeOffset start,
        DateTimeOffset end, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await QueryAsync(connection, null, $"""
            SELECT {string.Join(", ", LogFileColumns)} FROM feature_log_files
            WHERE project = @project AND service = @service AND max_time >= @start AND min_time < @end
            ORDER BY min_time, path
            """, r => new FeatureLogFile(r.GetString(0), r.GetString(1), r.GetString(2), Convert.ToInt32(r.GetValue(3)), r.GetString(4),
                Convert.ToInt64(r.GetValue(5)), r.GetFieldValue<DateTimeOffset>(6), r.GetFieldValue<DateTimeOffset>(7), r.GetString(8),
                Convert.ToInt64(r.GetValue(9)), r.GetFieldValue<DateTimeOffset>(10)),
            cancellationToken, ("project", project), ("service", service), ("start", start.ToUniversalTime()),
            ("end", end.ToUniversalTime()));
    }
}
