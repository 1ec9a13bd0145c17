using System.Globalization;
using DuckDB.NET.Data;
using FeatureStore.Api;
using FeatureStore.Domain;

namespace FeatureStore.FeatureApi.Historical;

/// <summary>
/// Where a view's offline history leaves the entity rows of a request uncovered (a view version, the history it reads,
/// what that covers, and the gaps these rows need, <see cref="Coverage"/>).
/// </summary>
public sealed record ViewGaps(FeatureViewDefinition View, int History, IReadOnlyList<TimeWindow> Covered, IReadOnlyList<TimeWindow> Gaps);

/// <summary>
/// Checks every requested view's history against the entity rows before anything is joined: times it never covered
/// would come back as nulls that look like real "no data" (docs/semantics.md, history). One pass over the entity table asks,
/// for each hole of every view's coverage, the least and greatest entity time that needs it (<see cref="Coverage.SqlGapBounds"/>).
/// </summary>
public static class CoverageCheck
{
    private const int HolesPerQuery = 100;
    private const int GapsNamed = 5;

    public static IReadOnlyList<ViewGaps> Find(DuckDBConnection connection,
        IEnumerable<(FeatureViewDefinition View, OfflineSnapshot Snapshot)> views,
        string timestampColumn)
    {
        var ts = DuckDbTypes.Quote(timestampColumn);
        // Every view's holes asked for in the same passes (a statement costs more than its expressions on a few rows).
        var asked = views.Select(v => (v.View, v.Snapshot, Holes: Coverage.Holes(v.Snapshot.Covered))).ToList();
        var expressions = asked.SelectMany((v, index) => v.Holes.Select((_, hole) => (Index: index, Hole: hole))
            .Zip(Coverage.SqlGapBounds(v.Holes, v.Snapshot.Covered, ts, v.View.Ttl).Chunk(2))).ToList();
        var bounds = asked.Select(v => new (DateTimeOffset?, DateTimeOffset?)[v.Holes.Count]).ToList();
        foreach (var chunk in expressions.Chunk(HolesPerQuery))
        {
            using var command = connection.CreateCommand();
            command.CommandText = $"SELECT {string.Join(", ", chunk.SelectMany(c => c.Second))} FROM {PointInTimeJoinSql.EntityTable}";
            using var reader = command.ExecuteReader();
            reader.Read();
            for (var i = 0; i < chunk.Length; i++)
                bounds[chunk[i].First.Index][chunk[i].First.Hole] = (Time(reader, 2 * i), Time(reader, 2 * i + 1));
        }
        var found = new List<ViewGaps>();
        for (var v = 0; v < asked.Count; v++)
        {
            var (view, snapshot, holes) = asked[v];
            var gaps = Coverage.GapsFrom(holes, snapshot.Covered, bounds[v], view.Ttl);
            if (gaps.Count > 0) found.Add(new ViewGaps(view, snapshot.History, snapshot.Covered, gaps));
        }
        return found;
    }

    /// <summary>The 409 problem: per view, what it covers, what these rows need beyond it, and how to fix it.</summary>
    public static ConflictException Conflict(IReadOnlyList<ViewGaps> gaps, string field) => new(gaps.Select(g => new FieldError(field,
        $"feature view '{g.View.Name}' v{g.View.Version} reads offline history v{g.History}, " +
        $"which covers {Covered(g.Covered)}; these entity rows need " +
        $"event times it does not cover: {Named(g.Gaps)}. " +
        $"Materialize '{g.View.Name}' over them (POST /api/v1/feature-views/{g.View.Name}/materialize), " +
        $"pin a version whose history covers them ({g.View.Name}@vN:feature; " +
        $"GET /api/v1/feature-views/{g.View.Name}/coverage?version=N shows what each covers), " +
        "or ask with allowGaps=true for nulls there and the gaps listed")).ToList());

    /// <summary>The gaps as one header value: <c>view@v3 [start, end] [start, end]; other@v1 …</c>.</summary>
    public static string Header(IReadOnlyList<ViewGaps> gaps) =>
        string.Join("; ", gaps.Select(g => $"{g.View.Name}@v{g.View.Version} " +
                                           $"{string.Join(" ", g.Gaps.Take(GapsNamed).Select(Coverage.Describe))}" +
                                          (g.Gaps.Count > GapsNamed
                                              ? string.Create(CultureInfo.InvariantCulture, $" (+{g.Gaps.Count - GapsNamed} more)") : "")));

    private static string Covered(IReadOnlyList<TimeWindow> covered) =>
        covered.Count == 0 ? "nothing yet (it was never materialized nor pushed to)" : Named(covered);

    private static string Named(IReadOnlyList<TimeWindow> windows) =>
        string.Join(", ", windows.Take(GapsNamed).Select(Coverage.Describe)) +
        (windows.Count > GapsNamed ? string.Create(CultureInfo.InvariantCulture, $" and {windows.Count - GapsNamed} more") : "");

    private static DateTimeOffset? Time(DuckDBDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : FeatureValues.ToTimestamp(reader.GetValue(ordinal));
}
