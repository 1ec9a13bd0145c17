namespace FeatureStore.Domain;

/// <summary>
/// Where a worker learns a job's status before spending time on it: a cancelled, failed or finished
/// job is not run again (over HTTP from the registry, or from its store in one process).
/// </summary>
public interface IJobStatusLookup
{
    /// <summary>The job's status, or null when the registry has no such job.</summary>
    Task<JobStatus?> StatusAsync(Guid jobId, CancellationToken cancellationToken);
}
