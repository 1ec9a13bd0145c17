using FeatureStore.Domain;

namespace FeatureStore.Contracts;

public sealed record MaterializationAcceptedDto(Guid JobId, string Status, string Location, DateTimeOffset WindowStart, DateTimeOffset WindowEnd,
    int PartitionCount);

/// <summary>What a run measured: per-feature statistics and validation failures (per rule, as <c>feature.rule</c>).</summary>
public sealed record RunStatisticsDto(
    IReadOnlyDictionary<string, FeatureStatistics> Features, long InvalidRows, IReadOnlyDictionary<string, long> RuleFailures, bool Approximate);

public sealed record JobPartitionDto(int Index, JobStatus Status, string? Worker, long? RowsDone, long? RowsTotal, long? RowsWritten,
    double? DurationMs, string? Error);

public sealed record MaterializationJobDto(
    Guid Id, string Project, string View, int Version,
    DateTimeOffset WindowStart, DateTimeOffset WindowEnd, JobStatus Status,
    DateTimeOffset CreatedAt, DateTimeOffset? StartedAt, DateTimeOffset? FinishedAt,
    long? RowsRead, long? RowsWritten, long? OnlineKeysWritten, double? DurationMs, string? Error,
    int PartitionCount = 1, bool Incremental = false, long? RowsInWindow = null, long? InvalidRows = null, long? RowsDone = null, long? RowsTotal = null,
    RunStatisticsDto? Statistics = null, IReadOnlyList<JobPartitionDto>? Partitions = null)
{
    public static MaterializationJobDto From(MaterializationJob job, IReadOnlyList<JobPartition>? partitions = null) => new(
        job.Id, job.Project, job.View, job.Version, job.Window.Start, job.Window.End, job.Status,
        job.CreatedAt, job.StartedAt, job.FinishedAt, job.RowsRead, job.RowsWritten, job.OnlineKeysWritten,
        job.Duration?.TotalMilliseconds, job.Error, job.PartitionCount, job.Incremental, job.RowsInWindow, job.InvalidRows,
        job.RowsDone, job.RowsTotal,
        job.StatisticsJson is null ? null : System.Text.Json.JsonSerializer.Deserialize<RunStatisticsDto>(job.StatisticsJson, DefinitionJson.Options),
        partitions?.Select(p => new JobPartitionDto(p.Index, p.Status, p.Worker, p.RowsDone, p.RowsTotal, p.RowsWritten,
            p.Duration?.TotalMilliseconds, p.Error)).ToList());
}

/// <summary>A file of a view's offline feature table, as catalogued.</summary>
public sealed record OfflineFileDto(string Path, int Version, Guid JobId, string Date, long RowCount, DateTimeOffset MinEventTime,
    DateTimeOffset MaxEventTime, string ContentHash, long SizeBytes, DateTimeOffset WindowStart, DateTimeOffset WindowEnd, long? CommitSequence);

/// <summary>
/// <c>POST /api/v1/feature-views/{name}/pushed-files</c> (feature-api to registry): files a push wrote under the
/// view version's offline prefix, to be catalogued as one commit.
/// </summary>
public sealed class CommitPushedFilesDto
{
    public int? Version { get; set; }
    public Guid? PushId { get; set; }
    public List<OfflineFile>? Files { get; set; }
}
