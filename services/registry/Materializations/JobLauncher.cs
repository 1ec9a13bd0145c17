using FeatureStore.Api;
using FeatureStore.Contracts;
using FeatureStore.Domain;
using FeatureStore.Messaging;
using FeatureStore.Registry.Storage;
using MassTransit;

namespace FeatureStore.Registry.Materializations;

/// <summary>
/// Starts materialization jobs, for the API and the scheduler alike: one job per view at a time (a second
/// is a 409), split into partitions that any number of workers take from the queue.
/// </summary>
public sealed class JobLauncher(IJobStore store, IOfflineCatalog catalog, IBus bus, TimeProvider clock)
{
    public const int MaxPartitions = 64;

    /// <summary>How long sending a job's partitions may wait for the broker before the request is refused (503 naming the bus).</summary>
    public static readonly TimeSpan SendTimeout = TimeSpan.FromSeconds(3);

    public async Task<MaterializationJob> StartAsync(FeatureViewDefinition view, TimeWindow window, int partitions, bool incremental,
        CancellationToken cancellationToken)
    {
        // A view over a push source reads its push log again, up to the last push committed now: the job's window then replaces
        // those pushes' rows (they are in its output), never later ones (OfflineVisibility).
        long? pushCut = view.Source.SourceKind == SourceKind.Push
            ? await catalog.LastPushSequenceAsync(view.Project, view.Source.Name, cancellationToken)
            : null;
        var job = new MaterializationJob(Guid.NewGuid(), view.Project, view.Name, view.Version, window, JobStatus.Pending,
            clock.GetUtcNow(),
            PartitionCount: partitions, Incremental: incremental, History: view.HistoryVersion, Offline: view.Offline, PushCut: pushCut);
        await store.CreateJobAsync(job, cancellationToken);
        try
        {
            await bus.SendWithinAsync(Queues.MaterializeAddress, Enumerable.Range(0, partitions).Select(partition =>
                new MaterializeFeatureView(job.Id, view.Project, view.Name, view.Version, window.Start, window.End, incremental,
                    partition, partitions, pushCut)), SendTimeout, cancellationToken);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            await store.FailJobAsync(job.Id, $"could not send the job to pipeline-worker: {e.Message}", clock.GetUtcNow(),
                CancellationToken.None);
            throw new DependencyUnavailableException([new FieldError("bus",
                "the message bus is unavailable; the job was recorded as failed")]);
        }
        return job;
    }

    /// <summary>
    /// An incremental run covers from where the last successful run of this view's history ended (inclusive: rows at
    /// exactly that time are computed again and replace the earlier ones) to <paramref name="end"/>; the first run
    /// starts at end − TTL (with TTL 0, at 1970-01-01). Versions that share a history share where it ended.
    /// </summary>
    public async Task<TimeWindow> IncrementalWindowAsync(FeatureViewDefinition view, DateTimeOffset end,
        CancellationToken cancellationToken)
    {
        var start = await store.LastSucceededEndAsync(view.Project, view.Name, view.HistoryVersion, cancellationToken)
                    ?? (view.Ttl > TimeSpan.Zero ? end - view.Ttl : DateTimeOffset.UnixEpoch);
        return new TimeWindow(start, end);
    }

    /// <summary>
    /// The window that refills an online store that lost a view's values: every value it may serve now (event times from
    /// now − TTL, or all of them with TTL 0), reaching back to where the last successful run ended and forward to now or that
    /// end when it is later, so the run also leaves no gap in the offline history an incremental run would then skip.
    /// </summary>
    public async Task<TimeWindow> RestoreWindowAsync(FeatureViewDefinition view, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var last = await store.LastSucceededEndAsync(view.Project, view.Name, view.HistoryVersion, cancellationToken);
        var end = last is { } l && l > now ? l : now;
        if (view.Ttl <= TimeSpan.Zero) return new TimeWindow(DateTimeOffset.UnixEpoch, end);
        var start = now - view.Ttl;
        return new TimeWindow(last is { } before && before < start ? before : start, end);
    }
}
