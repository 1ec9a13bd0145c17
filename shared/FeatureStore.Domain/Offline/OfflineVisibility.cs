using System.Text.Json.Serialization;

namespace FeatureStore.Domain;

[JsonConverter(typeof(JsonStringEnumConverter<OfflineCommitKind>))]
public enum OfflineCommitKind
{
    /// <summary>A materialization job: it replaces its window.</summary>
    [JsonStringEnumMemberName("materialization")] Materialization,
    /// <summary>Pushed rows: they add to the history.</summary>
    [JsonStringEnumMemberName("push")] Push,
    /// <summary>A compaction: the rows its base commit showed of some files, rewritten as fewer files that supersede them.</summary>
    [JsonStringEnumMemberName("compaction")] Compaction,
}

/// <summary>
/// One commit of a view history's offline table: a materialization job's files (<see cref="Range"/> is its window) or
/// a push's (<see cref="Range"/> spans its rows). <see cref="PushSequence"/> is a push's place in its push source's log;
/// <see cref="PushCut"/> is the last pushed batch a materialization read from that log (views over push sources).
/// A compaction's <see cref="Base"/> is the commit as of which it read the rows it rewrote (<see cref="Range"/> spans them).
/// </summary>
public sealed record OfflineCommit(long Sequence, OfflineCommitKind Kind, Guid Id, TimeWindow Range, DateTimeOffset CommittedAt, long Rows,
    long? PushSequence = null, long? PushCut = null, long? Base = null);

/// <summary>
/// Which rows of an offline history a reader sees (docs/semantics.md: a run replaces its window). A materialization's
/// commit replaces, inside its window, the rows of every earlier materialization of the history and of every push
/// it read again from the push source's log (those up to its <see cref="OfflineCommit.PushCut"/>); pushes committed
/// after it read the log keep their rows. Nothing is rewritten: each file carries the windows that mask its rows
/// (<see cref="Masks"/>), readers keep what lies outside them (<see cref="SqlKept"/>), and a file masked whole is not
/// read at all. "The table as of commit N" is the same rule over the commits up to N.
/// A compaction rewrites the rows its base commit showed of some materialization (or compaction) files and supersedes them:
/// from its commit on they are not read (<see cref="Read"/>), before it they still are (time travel). Its rows are what
/// those files showed as of its base, so a later materialization — one committed after the base, even while the compaction
/// ran — masks them as it masks the files' own; pushes are never compacted (whether a materialization replaces a push's rows
/// depends on the push, not on the time).
/// </summary>
public static class OfflineVisibility
{
    /// <summary>Whether <paramref name="later"/> replaces, inside its window, the rows that <paramref name="earlier"/> committed.</summary>
    public static bool Replaces(OfflineCommit later, OfflineCommit earlier) =>
        later.Kind == OfflineCommitKind.Materialization && later.Sequence != earlier.Sequence && earlier.Kind switch
        {
            OfflineCommitKind.Materialization => later.Sequence > earlier.Sequence,
            OfflineCommitKind.Compaction => later.Sequence > earlier.Base,
            _ => earlier.PushSequence is { } pushed && later.PushCut is { } cut && pushed <= cut,
        };

    /// <summary>Whether a file committed at <paramref name="committed"/> (and superseded by the compaction committed at
    /// <paramref name="supersededBy"/>, if any) is read as of commit <paramref name="asOf"/>.</summary>
    public static bool Read(long committed, long? supersededBy, long asOf) =>
        committed <= asOf && (supersededBy is not { } compaction || compaction > asOf);

    /// <summary>Whether a compaction may rewrite files of <paramref name="owner"/>: materializations' and compactions', not
    /// pushes' (see the summary).</summary>
    public static bool Compactable(OfflineCommit owner) => owner.Kind != OfflineCommitKind.Push;

    /// <summary>
    /// The windows (merged) that mask rows of a file of <paramref name="owner"/> whose event times lie in
    /// [<paramref name="min"/>, <paramref name="max"/>], among <paramref name="commits"/> (those up to the snapshot read).
    /// </summary>
    public static IReadOnlyList<TimeWindow> Masks(OfflineCommit owner, DateTimeOffset min, DateTimeOffset max,
        IEnumerable<OfflineCommit> commits) =>
        Coverage.Merge(commits.Where(c => Replaces(c, owner) && c.Range.Overlaps(min, max)).Select(c => c.Range));

    /// <summary>Whether the masks leave nothing of a file whose event times lie in [<paramref name="min"/>,
    /// <paramref name="max"/>].</summary>
    public static bool HidesAll(IReadOnlyList<TimeWindow> masks, DateTimeOffset min, DateTimeOffset max) =>
        masks.Any(m => m.Start <= Coverage.Truncate(min) && m.End >= Coverage.Truncate(max));

    public static bool Kept(DateTimeOffset eventTime, IReadOnlyList<TimeWindow> masks) =>
        !masks.Any(m => m.Contains(Coverage.Truncate(eventTime)));

    /// <summary><see cref="Kept"/> as a DuckDB condition over a TIMESTAMPTZ column.</summary>
    public static string SqlKept(string eventColumn, IReadOnlyList<TimeWindow> masks) =>
        masks.Count == 0 ? "true"
            : string.Join(" AND ",
                masks.Select(m => $"NOT ({eventColumn} BETWEEN {DuckDbTypes.Timestamp(m.Start)} AND {DuckDbTypes.Timestamp(m.End)})"));

    /// <summary>
    /// Whether two rows a snapshot shows (<paramref name="visible"/>: each file with the commit that wrote it) may share keys and
    /// event time, so that a reader needs the created-time tie-break. A writer checks the rows of one write — a job partition's,
    /// a compaction's, a push's for one view — and says so of each file it wrote (<see cref="CataloguedFile.EventTies"/>). Beyond
    /// one write: a job's partitions hold disjoint entities; rows of two materializations never meet, since the later one
    /// replaces the earlier one's rows inside its window and writes only there (<see cref="Replaces"/>), and a compaction rewrites
    /// only rows its base showed; but a push adds rows that any commit's rows of the same times may meet. So ties are possible
    /// when a file was not checked or holds ties, or when a push's event times overlap another commit's.
    /// </summary>
    public static bool EventTiesPossible(IReadOnlyCollection<(OfflineCommit Owner, CataloguedFile File)> visible)
    {
        if (visible.Any(v => v.File.EventTies != false)) return true;
        var spans = visible.GroupBy(v => v.Owner.Sequence).Select(commit => (Start: commit.Min(v => v.File.MinEventTime),
            End: commit.Max(v => v.File.MaxEventTime), Push: commit.First().Owner.Kind == OfflineCommitKind.Push));
        // One sweep by start: a commit's span overlaps an earlier-starting one's when it starts before that one ends.
        var (anyEnd, pushEnd) = (DateTimeOffset.MinValue, DateTimeOffset.MinValue);
        foreach (var span in spans.OrderBy(s => s.Start))
        {
            if (span.Start <= (span.Push ? anyEnd : pushEnd)) return true;
            if (span.End > anyEnd) anyEnd = span.End;
            if (span.Push && span.End > pushEnd) pushEnd = span.End;
        }
        return false;
    }

    /// <summary>
    /// The event times a history covers: the windows of its materializations and the span of what was pushed to it, merged.
    /// Pushes are a stream: nothing exists between two of them that was not pushed, so together they cover from the earliest
    /// pushed event time to the latest, not only the instants of their rows.
    /// </summary>
    public static IReadOnlyList<TimeWindow> Covered(IEnumerable<OfflineCommit> commits)
    {
        var all = commits.ToList();
        var pushes = all.Where(c => c.Kind == OfflineCommitKind.Push).ToList();
        var pushed = pushes.Count == 0 ? [] : new[] { new TimeWindow(pushes.Min(p => p.Range.Start), pushes.Max(p => p.Range.End)) };
        return Coverage.Merge(all.Where(c => c.Kind == OfflineCommitKind.Materialization).Select(c => c.Range).Concat(pushed));
    }
}
