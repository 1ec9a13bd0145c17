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

public static class JobStatuses
{
    public static bool IsFinal(this JobStatus status) => status is JobStatus.Succeeded or JobStatus.Failed or JobStatus.Cancelled;
}

/// <summary>A materialization job as the registry records it.</summary>
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
    string? Error = null);
