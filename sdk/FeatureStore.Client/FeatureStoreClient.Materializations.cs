using FeatureStore.Contracts;
using FeatureStore.Domain;

namespace FeatureStore.Client;

/// <summary>How far a job has come, as <see cref="FeatureStoreClient.WaitForJobAsync"/> reports it.</summary>
public sealed record JobProgress(Guid JobId, JobStatus Status, long? RowsDone, long? RowsTotal, MaterializationJobDto Job)
{
    /// <summary>The share done, 0 to 1, when the job knows its total.</summary>
    public double? Fraction => RowsTotal is > 0 && RowsDone is { } done ? Math.Min(1, (double)done / RowsTotal.Value) : null;
}

/// <summary>Materializations: start a window or an incremental run of a view, read a job, follow it to its end.</summary>
public sealed partial class FeatureStoreClient
{
    /// <summary>Computes a view over [<paramref name="start"/>, <paramref name="end"/>) into the online and offline stores;
    /// answers at once with the job (<see cref="WaitForJobAsync"/> follows it).</summary>
    public Task<MaterializationAcceptedDto> MaterializeAsync(string view, DateTimeOffset start, DateTimeOffset end, string? project = null,
        int? partitions = null, CancellationToken cancellationToken = default) =>
        PostAsync<MaterializationAcceptedDto>(Registry, WithProject($"feature-views/{Uri.EscapeDataString(view)}/materialize", project),
            new { start, end, partitions }, cancellationToken);

    /// <summary>From where the view's last successful run ended up to <paramref name="end"/> (<c>feast materialize-incremental</c>).
    /// </summary>
    public Task<MaterializationAcceptedDto> MaterializeIncrementalAsync(string view, DateTimeOffset end, string? project = null,
        CancellationToken cancellationToken = default) =>
        PostAsync<MaterializationAcceptedDto>(Registry,
            WithProject($"feature-views/{Uri.EscapeDataString(view)}/materialize-incremental", project), new { end }, cancellationToken);

    public Task<MaterializationJobDto> GetJobAsync(Guid jobId, CancellationToken cancellationToken = default) =>
        GetAsync<MaterializationJobDto>(Registry, $"materializations/{jobId}", cancellationToken);

    /// <summary>The event times a view version's offline history covers (materialized windows, pushed rows' spans) and its
    /// commits; as right after commit <paramref name="asOf"/> when given. Historical retrieval outside them is refused.</summary>
    public Task<OfflineCoverageDto> GetCoverageAsync(string view, int? version = null, long? asOf = null, string? project = null,
        CancellationToken cancellationToken = default) =>
        GetAsync<OfflineCoverageDto>(Registry, WithProject(Query($"feature-views/{Uri.EscapeDataString(view)}/coverage",
            ("version", version), ("asOf", asOf)), project), cancellationToken);

    /// <summary>A view's materialization jobs, newest first (at most <paramref name="limit"/>, 50 unless given).</summary>
    public Task<IReadOnlyList<MaterializationJobDto>> ListJobsAsync(string view, int? limit = null, string? project = null,
        CancellationToken cancellationToken = default) =>
        GetAsync<IReadOnlyList<MaterializationJobDto>>(Registry, WithProject(
            $"feature-views/{Uri.EscapeDataString(view)}/materializations{(limit is { } n ? $"?limit={n}" : "")}", project),
            cancellationToken);

    public Task<MaterializationJobDto> CancelJobAsync(Guid jobId, CancellationToken cancellationToken = default) =>
        PostAsync<MaterializationJobDto>(Registry, $"materializations/{jobId}/cancel", null, cancellationToken);

    /// <summary>Compacts the offline history a view's latest version reads: its small files rewritten as fewer, in one commit
    /// (earlier commits keep reading them). Answers at once (<see cref="WaitForCompactionAsync"/> follows it); a 422 when there
    /// is nothing to compact, a 409 while a compaction of it runs.</summary>
    public Task<OfflineCompactionDto> CompactAsync(string view, string? project = null, CancellationToken cancellationToken = default) =>
        PostAsync<OfflineCompactionDto>(Registry, WithProject($"feature-views/{Uri.EscapeDataString(view)}/compactions", project), null,
            cancellationToken);

    public Task<OfflineCompactionDto> GetCompactionAsync(string view, Guid id, string? project = null,
        CancellationToken cancellationToken = default) =>
        GetAsync<OfflineCompactionDto>(Registry, WithProject($"feature-views/{Uri.EscapeDataString(view)}/compactions/{id}", project),
            cancellationToken);

    /// <summary>A view's compactions, newest first.</summary>
    public Task<IReadOnlyList<OfflineCompactionDto>> ListCompactionsAsync(string view, string? project = null,
        CancellationToken cancellationToken = default) =>
        GetAsync<IReadOnlyList<OfflineCompactionDto>>(Registry,
            WithProject($"feature-views/{Uri.EscapeDataString(view)}/compactions", project), cancellationToken);

    /// <summary>Follows a compaction until it has succeeded or failed; answers it as it ended.</summary>
    public async Task<OfflineCompactionDto> WaitForCompactionAsync(string view, Guid id, string? project = null,
        CancellationToken cancellationToken = default)
    {
        while (true)
        {
            var compaction = await GetCompactionAsync(view, id, project, cancellationToken);
            if (compaction.Status != "running") return compaction;
            await Task.Delay(Options.JobPollInterval, cancellationToken);
        }
    }

    /// <summary>Follows a job until it succeeds, fails or is cancelled, reporting each change; answers the final job (its
    /// <c>Status</c> says how it ended, its <c>Error</c> why it failed).</summary>
    public async Task<MaterializationJobDto> WaitForJobAsync(Guid jobId, IProgress<JobProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        JobProgress? last = null;
        while (true)
        {
            var job = await GetJobAsync(jobId, cancellationToken);
            var now = new JobProgress(job.Id, job.Status, job.RowsDone, job.RowsTotal, job);
            if (last is null || (last.Status, last.RowsDone, last.RowsTotal) != (now.Status, now.RowsDone, now.RowsTotal))
                progress?.Report(now);
            last = now;
            if (job.Status.IsFinal()) return job;
            await Task.Delay(Options.JobPollInterval, cancellationToken);
        }
    }
}
