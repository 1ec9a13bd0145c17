using FeatureStore.Api;
using FeatureStore.Domain;

namespace FeatureStore.Registry.Storage;

public enum PartitionResult { Ignored, Recorded, JobSucceeded }

public sealed record PartitionOutcome(
    long RowsRead, long RowsInWindow, long RowsWritten, long OnlineKeysWritten, long InvalidRows, TimeSpan Duration,
    DateTimeOffset FinishedAt, string? StatisticsJson, IReadOnlyList<OfflineFileRecord> Files, long OfflineRowsWritten = 0,
    DateTimeOffset? NewestEventTime = null);

/// <summary>A view has a pending or running job already: one job per view at a time (a unique index says so).</summary>
public sealed class ActiveJobExistsException(string view, Guid activeJob)
    : ConflictException([new FieldError("name",
        $"feature view '{view}' already has job {activeJob} pending or running; wait for it or cancel it")])
{
    public Guid ActiveJob { get; } = activeJob;
}

/// <summary>A view's runs in short: its last successful and last failed job's end, the window end of the last success, and the
/// newest event time any successful job computed.</summary>
public sealed record ViewRunSummary(string Project, string View, DateTimeOffset? LastSuccessAt, DateTimeOffset? LastSuccessWindowEnd,
    DateTimeOffset? LastFailureAt, DateTimeOffset? NewestEventTime);

/// <summary>Materialization jobs as the registry launches, lists and closes them.</summary>
public interface IJobStore
{
    /// <summary>Records a job and its partitions, pending. Throws <see cref="ActiveJobExistsException"/> when the view already
    /// has a pending or running job.</summary>
    Task CreateJobAsync(MaterializationJob job, CancellationToken cancellationToken);

    Task<MaterializationJob?> FindJobAsync(Guid id, CancellationToken cancellationToken);

    Task<IReadOnlyList<JobPartition>> ListPartitionsAsync(Guid id, CancellationToken cancellationToken);

    /// <summary>A view's jobs, newest first.</summary>
    Task<IReadOnlyList<MaterializationJob>> ListJobsAsync(string project, string view, int limit, CancellationToken cancellationToken);

    /// <summary>The successful jobs of a view that finished in [<paramref name="since"/>, <paramref name="until"/>], oldest
    /// first, at most <paramref name="limit"/> (the newest of them).</summary>
    Task<IReadOnlyList<MaterializationJob>> ListSucceededJobsAsync(string project, string view, DateTimeOffset since,
        DateTimeOffset until, int limit, CancellationToken cancellationToken);

    /// <summary>Per view with ended jobs, of one project (or of all when <paramref name="project"/> is null).</summary>
    Task<IReadOnlyList<ViewRunSummary>> SummarizeRunsAsync(string? project, CancellationToken cancellationToken);

    /// <summary>Where the last successful job of this view history ended: an incremental run starts there.</summary>
    Task<DateTimeOffset?> LastSucceededEndAsync(string project, string view, int history, CancellationToken cancellationToken);

    /// <summary>Every project a successful job wrote online keys for, with when the first and the latest of those jobs finished.</summary>
    Task<IReadOnlyList<OnlineProject>> OnlineProjectsAsync(CancellationToken cancellationToken);

    /// <summary>Fails a whole job (it could not even be handed to the workers).</summary>
    Task<bool> FailJobAsync(Guid id, string error, DateTimeOffset at, CancellationToken cancellationToken);

    Task<bool> CancelJobAsync(Guid id, DateTimeOffset at, CancellationToken cancellationToken);
}

/// <summary>A job's partitions as the workers report them.</summary>
public interface IJobProgressStore
{
    // Transitions only move forward (pending → running → succeeded | failed | cancelled), for partitions and jobs
    // alike, so a redelivered or late event changes nothing. Each returns whether it changed something.
    // A running partition may start again (its command was redelivered after a worker died): it records the new worker.
    Task<bool> MarkPartitionRunningAsync(Guid id, int partition, string? worker, DateTimeOffset at, CancellationToken cancellationToken);

    Task RecordProgressAsync(Guid id, int partition, long done, long total, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>
    /// Records a partition's success and stages its offline files (invisible). When it is the job's last partition, the
    /// job succeeds, with its partitions' statistics merged by <paramref name="mergeStatistics"/>, and — when it writes
    /// offline — all its files become visible together as the history's next commit, replacing its window
    /// (<see cref="OfflineVisibility"/>), in the same transaction.
    /// </summary>
    Task<PartitionResult> CompletePartitionAsync(Guid id, int partition, PartitionOutcome outcome,
        Func<IReadOnlyList<string>, string?> mergeStatistics,
        CancellationToken cancellationToken);

    /// <summary>Fails a partition, and with it the job.</summary>
    Task<bool> FailPartitionAsync(Guid id, int partition, string error, TimeSpan? duration, DateTimeOffset at,
        CancellationToken cancellationToken);
}
