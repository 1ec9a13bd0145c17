using System.Globalization;
using DuckDB.NET.Data;

namespace FeatureStore.IntegrationTests.Pipeline;

/// <summary>
/// Large activity sources written by DuckDB: <c>customer_id</c> (int64, <paramref name="entities"/> of them),
/// <c>event_timestamp</c> (one per second from <paramref name="start"/>), <c>amount</c> (float64), <c>kind</c> (string).
/// </summary>
public static class BigSource
{
    public static string Write(long rows, long entities, DateTime start)
    {
        var path = Path.Combine(Path.GetTempPath(), $"fs-big-{Guid.NewGuid():N}.parquet");
        using var connection = new DuckDBConnection("DataSource=:memory:");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = string.Create(CultureInfo.InvariantCulture, $"""
            SET TimeZone = 'UTC';
            COPY (SELECT (i % {entities})::BIGINT AS customer_id,
                         TIMESTAMPTZ '{start:yyyy-MM-dd HH:mm:ss}+00' + to_seconds(i) AS event_timestamp,
                         (i % 97)::DOUBLE AS amount,
                         ['view', 'cart', 'buy'][(i % 3) + 1] AS kind
                  FROM range({rows}) t(i)) TO '{path}' (FORMAT PARQUET)
            """);
        command.ExecuteNonQuery();
        return path;
    }
}
