using System.Text.Json.Serialization;

namespace FeatureStore.Domain;

[JsonConverter(typeof(JsonStringEnumConverter<JobStatus>))]
public enum JobStatus
{
    [JsonStringEnumMemberName("pending")] Pending,
    [JsonStringEnumMemberName("running")] Running,
    [JsonStringEnumMemberName("succeeded")] Succeeded,
    [JsonStringEnumMemberName("failed")] Failed,
    [JsonStringEnumMemberName("cancelled")] Cancelled,
}

/// <summary>
/// A job is open while it may still change (pending or running) and final after; every kind of job (materialization,
/// training) has at most one open job per subject. The SQL form is what the stores filter and index on.
/// </summary>
public static class JobStatuses
{
    public static bool IsOpen(this JobStatus status) => status is JobStatus.Pending or JobStatus.Running;

    public static bool IsFinal(this JobStatus status) => !status.IsOpen();

    /// <summary>The open statuses as an SQL list, for <c>status IN …</c>.</summary>
    public const string OpenSql = "('pending', 'running')";
}

/// <summary>
/// A materialization job as the registry records it: one window of one view version, split into
/// <see cref="PartitionCount"/> partitions by entity-key hash. It succeeds when every partition has. It writes the
/// history <see cref="History"/> (when the version keeps rows <see cref="Offline"/>); a view over a push source also
/// reads its push log up to <see cref="PushCut"/>. <see cref="RowsRead"/> counts source rows once per job;
/// <see cref="RowsWritten"/> the latest rows per entity, <see cref="OnlineKeysWritten"/> those that changed online,
/// <see cref="OfflineRowsWritten"/> the rows of the offline table.
/// </summary>
public sealed record MaterializationJob(
    Guid Id,
    string Project,
    string View,
    int Version,
    TimeWindow Window,
    JobStatus Status,
    DateTimeOffset CreatedAt,
    DateTimeOffset? StartedAt = null,
    DateTimeOffset? FinishedAt = null,
    long? RowsRead = null,
    long? RowsWritten = null,
    long? OnlineKeysWritten = null,
    TimeSpan? Duration = null,
    string? Error = null,
    int PartitionCount = 1,
    bool Incremental = false,
    long? RowsInWindow = null,
    long? InvalidRows = null,
    long? RowsDone = null,
    long? RowsTotal = null,
    string? StatisticsJson = null,
    int? History = null,
    bool Offline = true,
    long? PushCut = null,
    long? OfflineRowsWritten = null,
    DateTimeOffset? NewestEventTime = null)
{
    /// <summary>The history the job writes: jobs recorded before histories existed wrote their own version's.</summary>
    public int HistoryVersion => History ?? Version;
}

/// <summary>One partition of a job: who ran it, how far it got, how it ended.</summary>
public sealed record JobPartition(
    int Index, JobStatus Status, string? Worker, long? RowsDone, long? RowsTotal, long? RowsRead, long? RowsInWindow,
    long? RowsWritten, long? OnlineKeysWritten, long? InvalidRows, TimeSpan? Duration, string? Error, string? StatisticsJson,
    DateTimeOffset UpdatedAt, long? OfflineRowsWritten = null);
