using FeatureStore.Domain;

namespace FeatureStore.Contracts;

/// <summary>
/// A file of a view history's offline table, as catalogued. <see cref="History"/> is the version that started the history;
/// <see cref="Masks"/> are the event-time windows whose rows later commits replaced (readers skip them); a file a compaction
/// rewrote names that compaction's commit (<see cref="SupersededBy"/>: read as of earlier commits only). <see cref="EventTies"/>:
/// whether its write may hold rows with the same keys and event time (<see cref="CataloguedFile.EventTies"/>).
/// </summary>
public sealed record OfflineFileDto(string Path, int History, Guid JobId, string Date, long RowCount, DateTimeOffset MinEventTime,
    DateTimeOffset MaxEventTime, string ContentHash, long SizeBytes,
    DateTimeOffset WindowStart, DateTimeOffset WindowEnd, long? CommitSequence,
    IReadOnlyList<TimeWindow>? Masks = null, long? SupersededBy = null, bool? EventTies = null);

/// <summary>One commit of a view history: a materialization's window, or a push's span of event times.</summary>
public sealed record OfflineCommitDto(long Sequence, OfflineCommitKind Kind, Guid Id, DateTimeOffset Start, DateTimeOffset End,
    DateTimeOffset? CommittedAt,
    long Rows, long? PushSequence, long? PushCut)
{
    public static OfflineCommitDto From(OfflineCommit commit) => new(commit.Sequence, commit.Kind, commit.Id,
        commit.Range.Start, commit.Range.End,
        commit.CommittedAt == default ? null : commit.CommittedAt, commit.Rows, commit.PushSequence, commit.PushCut);

    public OfflineCommit ToCommit() =>
        new(Sequence, Kind, Id, new TimeWindow(Start, End), CommittedAt ?? default, Rows, PushSequence, PushCut);
}

/// <summary>
/// <c>GET /api/v1/feature-views/{name}/coverage</c>: the offline history a view version reads (named by the version that
/// started it), which versions read it, what it computes (<see cref="Computation"/>, a fingerprint), the event times it
/// covers as of commit <see cref="Sequence"/>, and its commits.
/// </summary>
public sealed record OfflineCoverageDto(string Project, string View, int Version, int History, IReadOnlyList<int> VersionsReadingIt,
    string Computation,
    long Sequence, IReadOnlyList<TimeWindow> Covered, IReadOnlyList<OfflineCommitDto> Commits);

/// <summary>A file of a push source's log (<c>GET /api/v1/data-sources/{name}/pushed-files</c>).</summary>
public sealed record PushedFileDto(string Path, long Sequence, string Date, long RowCount,
    DateTimeOffset MinEventTime, DateTimeOffset MaxEventTime,
    string ContentHash, long SizeBytes);

/// <summary>
/// <c>POST /api/v1/data-sources/{name}/pushes</c> (feature-api to registry): a push's files in the push source's log and in the
/// history of each view that keeps its rows offline, to be catalogued at once.
/// </summary>
public sealed class RecordPushDto
{
    public Guid? PushId { get; set; }
    public List<OfflineFile>? LogFiles { get; set; }
    public List<PushedViewFilesDto>? Views { get; set; }
}

public sealed class PushedViewFilesDto
{
    public string? View { get; set; }
    public int? Version { get; set; }
    public List<OfflineFile>? Files { get; set; }
}

/// <summary>
/// A compaction of a view history (<c>POST</c>/<c>GET /api/v1/feature-views/{name}/compactions</c>): the files it rewrites as read
/// as of commit <see cref="Base"/>, its status (<c>running</c>, <c>succeeded</c>, <c>failed</c>), the commit that made its files
/// visible and how many, or why it failed.
/// </summary>
public sealed record OfflineCompactionDto(Guid Id, string Project, string View, int History, long Base, string Trigger, string Status,
    int FilesIn, long RowsIn, DateTimeOffset RequestedAt, DateTimeOffset? FinishedAt, long? CommitSequence, int? FilesOut,
    string? Error);
