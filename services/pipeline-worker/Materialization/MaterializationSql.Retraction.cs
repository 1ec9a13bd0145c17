using FeatureStore.Domain;

namespace FeatureStore.PipelineWorker.Materialization;

/// <summary>The SQL of <see cref="OnlineRetraction"/>: which entities of the partition lost their newest row in the window, and what
/// replaces it.</summary>
public sealed partial class MaterializationSql
{
    public const string Candidates = "retraction_candidates";

    private const string PreviousEvent = "__prev_event", PreviousCreated = "__prev_created";
    private const string NewEvent = "__new_event", NewCreated = "__new_created", NewRow = "__new_row";

    private string KeysMatch(string left, string right) =>
        string.Join(" AND ", View.JoinKeys.Select(k => $"{left}.{Q(k.Name)} = {right}.{Q(k.Name)}"));

    /// <summary>
    /// Table <see cref="Candidates"/>: per entity of this partition whose newest row in the window, as <paramref name="previous"/>
    /// (the history before this run) shows it, is newer than this run's newest for it or has none now, both rows' times.
    /// Keys are cast to the source's own types (<paramref name="keyTypes"/>) so the partition split hashes them alike.
    /// </summary>
    public string RetractionCandidates(string previous, IReadOnlyDictionary<string, string> keyTypes)
    {
        var keys = string.Join(", ", View.JoinKeys.Select(k => $"CAST({Q(k.Name)} AS {keyTypes[k.Name]}) AS {Q(k.Name)}"));
        var typedKeys = string.Join(", ", View.JoinKeys.Select(k => $"CAST({Q(k.Name)} AS {keyTypes[k.Name]})"));
        var eventTime = $"CAST({OfflineEventTime} AS TIMESTAMPTZ)";
        return $"""
            CREATE TEMP TABLE {Candidates} AS
            WITH prev AS (
              SELECT {keys}, {eventTime} AS {PreviousEvent}, CAST({OfflineCreatedTime} AS TIMESTAMPTZ) AS {PreviousCreated}
              FROM {previous}
              WHERE {eventTime} BETWEEN {DuckDbTypes.Timestamp(Window.Start)} AND {DuckDbTypes.Timestamp(Window.End)}
                AND {InPartition(typedKeys)}
              QUALIFY row_number() OVER (PARTITION BY {typedKeys}
                ORDER BY {RowTime.SqlNewestFirst(eventTime, $"CAST({OfflineCreatedTime} AS TIMESTAMPTZ)", null)}) = 1),
            fresh AS (
              SELECT {Keys}, {EventTime} AS {NewEvent}, {CreatedTime} AS {NewCreated}, {RowNumber} AS {NewRow} FROM {Result}
              QUALIFY row_number() OVER (PARTITION BY {Keys} ORDER BY {RowTime.SqlNewestFirst(EventTime, CreatedTime, RowNumber)}) = 1)
            SELECT p.*, f.{NewEvent}, f.{NewCreated}, f.{NewRow}
            FROM prev p LEFT JOIN fresh f ON {KeysMatch("p", "f")}
            WHERE f.{NewEvent} IS NULL
              OR {RowTime.SqlOlder($"f.{NewEvent}", $"f.{NewCreated}", $"p.{PreviousEvent}", $"p.{PreviousCreated}")}
            """;
    }

    /// <summary>
    /// Per candidate: its keys, the times of the row the store may hold, then the replacement's times and features — this run's
    /// newest row for it, or else the newest row before the window in <paramref name="older"/> (none: nulls, the value is forgotten).
    /// </summary>
    public string Retractions(string? older)
    {
        var features = View.Features.Select(f => $"CASE WHEN c.{NewEvent} IS NOT NULL THEN n.{Q(f.Name)} ELSE " +
            (older is null ? "NULL" : $"CAST(b.{Q(f.Name)} AS {DuckDbTypes.ToSql(f.Type)})") + $" END AS {Q(f.Name)}");
        var fromOlder = older is null ? ("NULL", "NULL", "")
            : ($"CAST(b.{OfflineEventTime} AS TIMESTAMPTZ)", $"CAST(b.{OfflineCreatedTime} AS TIMESTAMPTZ)",
            $"""
            LEFT JOIN (
              SELECT o.* FROM ({older}) o JOIN {Candidates} c ON {KeysMatch("o", "c")} AND c.{NewEvent} IS NULL
              WHERE CAST(o.{OfflineEventTime} AS TIMESTAMPTZ) < {DuckDbTypes.Timestamp(Window.Start)}
              QUALIFY row_number() OVER (PARTITION BY {string.Join(", ", View.JoinKeys.Select(k => $"o.{Q(k.Name)}"))}
                ORDER BY {RowTime.SqlNewestFirst($"CAST(o.{OfflineEventTime} AS TIMESTAMPTZ)",
                    $"CAST(o.{OfflineCreatedTime} AS TIMESTAMPTZ)", null)}) = 1) b
              ON {KeysMatch("c", "b")}
            """);
        return $"""
            SELECT {string.Join(", ", View.JoinKeys.Select(k => $"c.{Q(k.Name)}"))}, c.{PreviousEvent}, c.{PreviousCreated},
                   CASE WHEN c.{NewEvent} IS NOT NULL THEN n.{EventTime} ELSE {fromOlder.Item1} END,
                   CASE WHEN c.{NewEvent} IS NOT NULL THEN n.{CreatedTime} ELSE {fromOlder.Item2} END,
                   {string.Join(",\n       ", features)}
            FROM {Candidates} c
            LEFT JOIN (
              SELECT r.* FROM {Result} r JOIN {Candidates} c ON {KeysMatch("r", "c")} AND r.{EventTime} = c.{NewEvent}
                AND r.{CreatedTime} IS NOT DISTINCT FROM c.{NewCreated} AND r.{RowNumber} IS NOT DISTINCT FROM c.{NewRow}
              QUALIFY row_number() OVER (PARTITION BY {string.Join(", ", View.JoinKeys.Select(k => $"r.{Q(k.Name)}"))}) = 1) n
              ON {KeysMatch("c", "n")}
            {fromOlder.Item3}
            """;
    }
}
