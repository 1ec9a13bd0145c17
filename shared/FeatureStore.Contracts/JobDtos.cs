using FeatureStore.Domain;

namespace FeatureStore.Contracts;

public sealed record MaterializationAcceptedDto(Guid JobId, string Status, string Location,
    DateTimeOffset WindowStart, DateTimeOffset WindowEnd,
    int PartitionCount);

/// <summary>What a run measured: per-feature statistics and validation failures (per rule, as <c>feature.rule</c>).</summary>
public sealed record RunStatisticsDto(
    IReadOnlyDictionary<string, FeatureStatistics> Features, long InvalidRows,
    IReadOnlyDictionary<string, long> RuleFailures, bool Approximate);

public sealed record JobPartitionDto(int Index, JobStatus Status, string? Worker, long? RowsDone, long? RowsTotal, long? RowsWritten,
    double? DurationMs, string? Error, long? OfflineRowsWritten = null);

/// <summary>
/// A materialization job. <see cref="RowsRead"/>: source rows, once per job; <see cref="RowsInWindow"/>: rows computed in the
/// window; <see cref="RowsWritten"/>: latest rows per entity sent online, <see cref="OnlineKeysWritten"/> of them changed the
/// online store; <see cref="OfflineRowsWritten"/>: rows of the offline table; <see cref="History"/>: the offline history written.
/// </summary>
public sealed record MaterializationJobDto(
    Guid Id, string Project, string View, int Version,
    DateTimeOffset WindowStart, DateTimeOffset WindowEnd, JobStatus Status,
    DateTimeOffset CreatedAt, DateTimeOffset? StartedAt, DateTimeOffset? FinishedAt,
    long? RowsRead, long? RowsWritten, long? OnlineKeysWritten, double? DurationMs, string? Error,
    int PartitionCount = 1, bool Incremental = false, long? RowsInWindow = null, long? InvalidRows = null,
    long? RowsDone = null, long? RowsTotal = null,
    RunStatisticsDto? Statistics = null, IReadOnlyList<JobPartitionDto>? Partitions = null, int? History = null, bool Offline = true,
    long? OfflineRowsWritten = null, long? PushCut = null, DateTimeOffset? NewestEventTime = null)
{
    public static MaterializationJobDto From(MaterializationJob job, IReadOnlyList<JobPartition>? partitions = null) => new(
        job.Id, job.Project, job.View, job.Version, job.Window.Start, job.Window.End, job.Status,
        job.CreatedAt, job.StartedAt, job.FinishedAt, job.RowsRead, job.RowsWritten, job.OnlineKeysWritten,
        job.Duration?.TotalMilliseconds, job.Error, job.PartitionCount, job.Incremental, job.RowsInWindow, job.InvalidRows,
        job.RowsDone, job.RowsTotal,
        job.StatisticsJson is null ? null
            : System.Text.Json.JsonSerializer.Deserialize<RunStatisticsDto>(job.StatisticsJson, DefinitionJson.Options),
        partitions?.Select(p => new JobPartitionDto(p.Index, p.Status, p.Worker, p.RowsDone, p.RowsTotal, p.RowsWritten,
            p.Duration?.TotalMilliseconds, p.Error, p.OfflineRowsWritten)).ToList(),
        job.HistoryVersion, job.Offline, job.OfflineRowsWritten, job.PushCut, job.NewestEventTime);
}


/// <summary>A project whose online store materializations have written: when the first and the latest such run finished.</summary>
public sealed record OnlineProjectDto(string Project, DateTimeOffset FirstWrittenAt, DateTimeOffset LastWrittenAt);

/// <summary>One job a restore of the online store started: which view, and the job as any other start answers it.</summary>
public sealed record RestoreJobDto(string Project, string View, MaterializationAcceptedDto Job);

/// <summary>A view a restore did not start a job for, and why (a job of it is already pending or running).</summary>
public sealed record RestoreSkippedDto(string Project, string View, string Reason, Guid? ActiveJobId);

/// <summary>What <c>POST /api/v1/materializations/restore-online</c> started and what it skipped.</summary>
public sealed record RestoreOnlineAcceptedDto(IReadOnlyList<RestoreJobDto> Jobs, IReadOnlyList<RestoreSkippedDto> Skipped);
