using FeatureStore.Domain;

namespace FeatureStore.Contracts;

public sealed class MaterializeRequestDto
{
    public DateTimeOffset? Start { get; set; }
    public DateTimeOffset? End { get; set; }
}

public sealed record MaterializationAcceptedDto(Guid JobId, string Status, string Location);

public sealed record MaterializationJobDto(
    Guid Id, string Project, string View, int Version,
    DateTimeOffset WindowStart, DateTimeOffset WindowEnd, JobStatus Status,
    DateTimeOffset CreatedAt, DateTimeOffset? StartedAt, DateTimeOffset? FinishedAt,
    long? RowsRead, long? RowsWritten, long? OnlineKeysWritten, double? DurationMs, string? Error)
{
    public static MaterializationJobDto From(MaterializationJob job) => new(
        job.Id, job.Project, job.View, job.Version, job.Window.Start, job.Window.End, job.Status,
        job.CreatedAt, job.StartedAt, job.FinishedAt, job.RowsRead, job.RowsWritten, job.OnlineKeysWritten,
        job.Duration?.TotalMilliseconds, job.Error);
}
