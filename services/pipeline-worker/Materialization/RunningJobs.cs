using System.Collections.Concurrent;

namespace FeatureStore.PipelineWorker.Materialization;

public sealed record RunningJob(Guid JobId, string Project, string View, int Version, DateTimeOffset StartedAt);

/// <summary>The jobs this worker instance is running right now.</summary>
public sealed class RunningJobs
{
    private readonly ConcurrentDictionary<Guid, RunningJob> _jobs = new();

    public IDisposable Track(RunningJob job)
    {
        _jobs[job.JobId] = job;
        return new Untrack(() => _jobs.TryRemove(job.JobId, out _));
    }

    public IReadOnlyList<RunningJob> Snapshot() => _jobs.Values.OrderBy(j => j.StartedAt).ToList();

    private sealed class Untrack(Action action) : IDisposable
    {
        public void Dispose() => action();
    }
}
