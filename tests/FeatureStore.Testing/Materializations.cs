using System.Runtime.CompilerServices;
using FeatureStore.Client;
using FeatureStore.Contracts;
using FeatureStore.Domain;
using Xunit;

namespace FeatureStore.Testing;

/// <summary>Materializations through the SDK (<see cref="FeatureStoreClient"/>) on a test's registry client: start one and wait for
/// it to end.</summary>
public static class Materializations
{
    public static readonly TimeSpan JobTimeout = TimeSpan.FromSeconds(90);

    public static async Task<MaterializationJobDto> MaterializeAsync(HttpClient registry, string project, string view,
        DateTime start, DateTime end,
        Func<string>? diagnostics = null)
    {
        var store = Store(registry);
        MaterializationAcceptedDto accepted;
        try
        {
            accepted = await store.MaterializeAsync(view, Utc(start), Utc(end), project);
        }
        catch (FeatureStoreException e) when (e.Status == 409)
        {
            // A view with a schedule (the sample's hourly ones) may have started its own run when a test crosses the hour: the
            // registry refuses a second while it runs. Wait for that one, then ask again.
            foreach (var running in await store.ListJobsAsync(view, project: project))
                if (running.Status is JobStatus.Pending or JobStatus.Running) await WaitAsync(store, running.Id, diagnostics);
            accepted = await store.MaterializeAsync(view, Utc(start), Utc(end), project);
        }
        var job = await WaitAsync(store, accepted.JobId, diagnostics);
        Assert.True(job.Status == JobStatus.Succeeded, $"job for {view} ended {job.Status}: {job.Error}\n{diagnostics?.Invoke()}");
        return job;
    }

    /// <summary>Follows the job at <paramref name="location"/> (<c>/api/v1/materializations/{id}</c>) until it ends.</summary>
    public static async Task<MaterializationJobDto> WaitForJobAsync(HttpClient registry, string location, Func<string>? diagnostics = null)
    {
        var store = Store(registry);
        return await WaitAsync(store, Guid.Parse(location.TrimEnd('/')[(location.TrimEnd('/').LastIndexOf('/') + 1)..]), diagnostics);
    }

    private static async Task<MaterializationJobDto> WaitAsync(FeatureStoreClient store, Guid jobId, Func<string>? diagnostics)
    {
        using var timeout = new CancellationTokenSource(JobTimeout);
        try
        {
            return await store.WaitForJobAsync(jobId, cancellationToken: timeout.Token);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            var job = await store.GetJobAsync(jobId);
            throw new TimeoutException($"job {jobId} still {job.Status} after {JobTimeout.TotalSeconds}s\n{diagnostics?.Invoke()}");
        }
    }

    // One SDK client (its own connection pool) per test client, for as long as that client lives, not one per call.
    private static readonly ConditionalWeakTable<HttpClient, FeatureStoreClient> Clients = [];

    /// <summary>The SDK on the registry <paramref name="registry"/> calls, with the key it sends.</summary>
    private static FeatureStoreClient Store(HttpClient registry) => Clients.GetValue(registry, static registry => new(
        new FeatureStoreClientOptions
        {
            Endpoint = registry.BaseAddress,
            ApiKey = registry.DefaultRequestHeaders.TryGetValues(FeatureStoreHeaders.ApiKey, out var keys) ? keys.Single() : null,
            JobPollInterval = TimeSpan.FromMilliseconds(100),
        }));

    // A test's DateTime without a kind means UTC, as the wire would have read it.
    private static DateTimeOffset Utc(DateTime at) =>
        at.Kind == DateTimeKind.Unspecified ? new DateTimeOffset(at, TimeSpan.Zero) : new DateTimeOffset(at.ToUniversalTime());
}
