using System.Collections.Concurrent;

namespace FeatureStore.PipelineWorker.Materialization;

public sealed record RunningJob(Guid JobId, int PartitionIndex, string Project, string View, int Version, DateTimeOffset StartedAt);

/// <summary>The partitions this worker instance is running now, each cancellable (a cancelled job stops here).</summary>
public sealed class RunningJobs
{
    private readonly ConcurrentDictionary<(Guid, int), (RunningJob Job, CancellationTokenSource Cancel)> _jobs = new();

    /// <summary>Tracks a partition until the handle is disposed; its token fires when the job is cancelled or <paramref name="stopping"/>
    /// fires.</summary>
    public Tracked Track(RunningJob job, CancellationToken stopping)
    {
        var cancel = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        _jobs[(job.JobId, job.PartitionIndex)] = (job, cancel);
        return new Tracked(cancel, () =>
        {
            _jobs.TryRemove((job.JobId, job.PartitionIndex), out _);
            cancel.Dispose();
        });
    }

    /// <summary>Cancels every partition of the job running here; true when there was one.</summary>
    public bool Cancel(Guid jobId)
    {
        var any = false;
        foreach (var (key, entry) in _jobs)
            if (key.Item1 == jobId)
            {
                try { entry.Cancel.Cancel(); any = true; }
                catch (ObjectDisposedException) { }
            }
        return any;
    }

    public IReadOnlyList<RunningJob> Snapshot() => _jobs.Values.Select(v => v.Job).OrderBy(j => j.StartedAt).ToList();

    public sealed class Tracked(CancellationTokenSource cancel, Action release) : IDisposable
    {
        public CancellationToken Token => cancel.Token;
        public bool WasCancelled => cancel.IsCancellationRequested;
        public void Dispose() => release();
    }
}
