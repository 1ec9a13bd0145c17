using FeatureStore.Contracts;
using static FeatureStore.Storage.Sql.SqlCommands;

namespace FeatureStore.Registry.Storage;

/// <summary>Per-minute usage and latency totals: a report adds to a row (ON CONFLICT … + excluded), so instances sum.</summary>
public sealed partial class SqlRegistryStore
{
    private const int UsageRowsPerInsert = 50;

    private static readonly string[] UsageColumns =
        ["minute", "project", "endpoint", "principal", "model", "feature_service", "feature", "requests", "entity_rows", "hits", "misses",
         "stale"];

    private static readonly string[] LatencyColumns = ["minute", "endpoint", "bucket", "count"];

    public async Task AddUsageAsync(IReadOnlyList<UsageCount> usage, IReadOnlyList<LatencyCount> latency,
        CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        foreach (var rows in usage.Chunk(UsageRowsPerInsert))
        {
            var (values, parameters) = ManyRows(UsageColumns, rows.Select(u => new object?[]
            {
                u.Minute.ToUniversalTime(), u.Project, u.Endpoint, u.Principal, u.Model, u.FeatureService, u.Feature, u.Requests,
                u.EntityRows, u.Hits, u.Misses, u.Stale,
            }).ToList());
            await ExecuteAsync(connection, transaction, $"""
                INSERT INTO usage_minutes ({string.Join(", ", UsageColumns)}) VALUES {values}
                ON CONFLICT (minute, project, endpoint, principal, model, feature_service, feature) DO UPDATE SET
                  requests = usage_minutes.requests + excluded.requests, entity_rows = usage_minutes.entity_rows + excluded.entity_rows,
                  hits = usage_minutes.hits + excluded.hits, misses = usage_minutes.misses + excluded.misses,
                  stale = usage_minutes.stale + excluded.stale
                """, cancellationToken, parameters);
        }
        foreach (var rows in latency.Chunk(UsageRowsPerInsert))
        {
            var (values, parameters) = ManyRows(LatencyColumns,
                rows.Select(l => new object?[] { l.Minute.ToUniversalTime(), l.Endpoint, l.Bucket, l.Count }).ToList());
            await ExecuteAsync(connection, transaction, $"""
                INSERT INTO latency_minutes ({string.Join(", ", LatencyColumns)}) VALUES {values}
                ON CONFLICT (minute, endpoint, bucket) DO UPDATE SET count = latency_minutes.count + excluded.count
                """, cancellationToken, parameters);
        }
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<UsageCount>> FindUsageAsync(string project, DateTimeOffset start, DateTimeOffset end,
        CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await QueryAsync(connection, null, $"""
            SELECT {string.Join(", ", UsageColumns)} FROM usage_minutes
            WHERE project = @project AND minute >= @start AND minute < @end
            """, r => new UsageCount(r.GetFieldValue<DateTimeOffset>(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4),
                r.GetString(5), r.GetString(6), Convert.ToInt64(r.GetValue(7)), Convert.ToInt64(r.GetValue(8)),
                Convert.ToInt64(r.GetValue(9)), Convert.ToInt64(r.GetValue(10)), Convert.ToInt64(r.GetValue(11))),
            cancellationToken, ("project", project), ("start", start.ToUniversalTime()), ("end", end.ToUniversalTime()));
    }

    public async Task<IReadOnlyList<LatencyCount>> FindLatencyAsync(DateTimeOffset start, DateTimeOffset end,
        CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await QueryAsync(connection, null, $"""
            SELECT {string.Join(", ", LatencyColumns)} FROM latency_minutes WHERE minute >= @start AND minute < @end
            """, r => new LatencyCount(r.GetFieldValue<DateTimeOffset>(0), r.GetString(1), Convert.ToInt32(r.GetValue(2)),
                Convert.ToInt64(r.GetValue(3))),
            cancellationToken, ("start", start.ToUniversalTime()), ("end", end.ToUniversalTime()));
    }
}
