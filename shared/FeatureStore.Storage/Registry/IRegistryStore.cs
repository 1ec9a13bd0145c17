using FeatureStore.Domain;

namespace FeatureStore.Storage.Registry;

public sealed record ApplyResult(FeatureViewDefinition View, bool Changed);

/// <summary>Definitions and their versions, and materialization job records.</summary>
public interface IRegistryStore
{
    /// <summary>
    /// Stores <paramref name="candidate"/> as the next version of its view, unless it equals the latest
    /// version (then nothing changes). Throws <see cref="ConcurrentChangeException"/> when another
    /// writer stored the same version first.
    /// </summary>
    Task<ApplyResult> ApplyFeatureViewAsync(FeatureViewDefinition candidate, CancellationToken cancellationToken);

    /// <summary>A version of a view, or its latest version when <paramref name="version"/> is null.</summary>
    Task<FeatureViewDefinition?> FindFeatureViewAsync(string project, string name, int? version, CancellationToken cancellationToken);

    /// <summary>The latest version of every view in a project, by name.</summary>
    Task<IReadOnlyList<FeatureViewDefinition>> ListFeatureViewsAsync(string project, CancellationToken cancellationToken);

    Task CreateJobAsync(MaterializationJob job, CancellationToken cancellationToken);

    Task<MaterializationJob?> FindJobAsync(Guid id, CancellationToken cancellationToken);

    // Job transitions only move forward (pending → running → succeeded | failed), so a redelivered
    // event changes nothing twice. Each returns whether it changed the job.
    Task<bool> MarkJobRunningAsync(Guid id, DateTimeOffset startedAt, CancellationToken cancellationToken);

    Task<bool> MarkJobSucceededAsync(Guid id, JobOutcome outcome, CancellationToken cancellationToken);

    Task<bool> MarkJobFailedAsync(Guid id, string error, TimeSpan? duration, DateTimeOffset finishedAt, CancellationToken cancellationToken);

    Task CheckAsync(CancellationToken cancellationToken);
}

public sealed record JobOutcome(long RowsRead, long RowsWritten, long OnlineKeysWritten, TimeSpan Duration, DateTimeOffset FinishedAt);

public sealed class ConcurrentChangeException(string message, Exception inner) : Exception(message, inner);
