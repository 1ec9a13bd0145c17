using FeatureStore.IntegrationTests.Messaging;
using FeatureStore.IntegrationTests.Registry;
using FeatureStore.IntegrationTests.Services;
using static FeatureStore.IntegrationTests.Pipeline.PipelineDriver;

namespace FeatureStore.IntegrationTests.Pipeline;

/// <summary>Runs through the real services: incremental after full, one run at a time, cancel, schedules, workers sharing a job.</summary>
public sealed class PipelineRunsTests(ServiceCluster cluster) : IClassFixture<ServiceCluster>
{
    private readonly PipelineDriver _pipeline = new(cluster);

    [Fact]
    public async Task An_incremental_run_continues_where_the_full_run_ended()
    {
        var key = await _pipeline.SourceKeyAsync("incremental");
        await _pipeline.PutBigAsync(key, 10_000, 100, T);
        var project = await _pipeline.ApplyAsync("incremental", key);
        var firstEnd = T.AddSeconds(4_999);

        await _pipeline.SucceededAsync(await _pipeline.StartAsync(project, new { start = T, end = firstEnd }), "the full run to succeed");
        await _pipeline.PutBigAsync(key, 20_000, 100, T); // the next 10 000 seconds of events arrive
        var incremental = await _pipeline.StartAsync(project, new { end = T.AddSeconds(19_999) }, "materialize-incremental");
        Assert.Equal(202, incremental.Status);
        Assert.Equal(firstEnd, incremental.Body.GetProperty("windowStart").GetDateTime().ToUniversalTime());
        var job = await _pipeline.SucceededAsync(incremental, "the incremental run to succeed");

        Assert.True(job.GetProperty("incremental").GetBoolean());
        Assert.Equal(15_001, job.GetProperty("rowsInWindow").GetInt64()); // seconds 4 999 … 19 999, both ends inclusive
        var files = await _pipeline.OfflineFilesAsync(project);
        Assert.Equal([1L, 2L], files.Select(f => f.GetProperty("commitSequence").GetInt64()).Distinct().Order());
        Assert.Equal(5_000 + 15_001, files.Sum(f => f.GetProperty("rowCount").GetInt64()));
        var statistics = job.GetProperty("statistics").GetProperty("features");
        Assert.Equal(15_001, statistics.GetProperty("kind").GetProperty("count").GetInt64());
        Assert.Equal(3, statistics.GetProperty("kind").GetProperty("distinct").GetInt64());
    }

    [Fact]
    public async Task A_second_run_is_refused_while_one_runs_and_a_cancelled_run_shows_nothing()
    {
        var key = await _pipeline.SourceKeyAsync("cancel");
        await _pipeline.PutBigAsync(key, 3_000_000, 600_000, T);
        var project = await _pipeline.ApplyAsync("cancel", key);

        var running = await _pipeline.StartAsync(project, new { start = T, end = T.AddDays(60) });
        Assert.Equal(202, running.Status);
        var second = await _pipeline.StartAsync(project, new { start = T, end = T.AddDays(60) });
        Assert.Equal(409, second.Status);
        Assert.Contains(running.Body.GetProperty("jobId").GetString()!, second.Text);

        await _pipeline.UntilAsync(running, j => Status(j) == "running", "the job to start");
        var cancelled = await _pipeline.CancelAsync(running);
        Assert.Equal("cancelled", cancelled.Body.GetProperty("status").GetString());
        await RetryAndErrorQueueTests.Eventually(() =>
            Task.FromResult(cluster.Workers.Any(w => w.LogTail(200).Contains("was cancelled; stopped"))),
            "a worker to stop the cancelled job", 60, cluster.Diagnostics);
        Assert.Equal(409, (await _pipeline.CancelAsync(running)).Status);
        Assert.Empty(await _pipeline.OfflineFilesAsync(project));
        Assert.Equal("cancelled", Status(await _pipeline.JobAsync(running)));
    }

    [Fact]
    public async Task A_schedule_fires_incremental_runs()
    {
        var key = await _pipeline.SourceKeyAsync("scheduled");
        await _pipeline.PutBigAsync(key, 1_000, 10, DateTime.UtcNow.AddMinutes(-20));
        var project = await _pipeline.ApplyAsync("scheduled", key, "schedule: \"*/2 * * * * *\"");

        async Task<List<System.Text.Json.JsonElement>> SucceededIncrementalRuns() =>
            (await _pipeline.Registry.GetAnswerAsync($"api/v1/feature-views/activity/materializations?project={project}"))
            .Body.EnumerateArray()
            .Where(j => j.GetProperty("incremental").GetBoolean() && Status(j) == "succeeded").Reverse().ToList();
        await RetryAndErrorQueueTests.Eventually(async () => (await SucceededIncrementalRuns()).Count >= 2,
            "two scheduled runs to succeed", 60, () => cluster.Registry.LogTail());
        var history = await SucceededIncrementalRuns();
        // Each run starts where the previous ended.
        Assert.Equal(history[0].GetProperty("windowEnd").GetString(), history[1].GetProperty("windowStart").GetString());
        await _pipeline.Registry.ApplyYamlAsync(Repository(project, key)); // no schedule: no more runs
    }

    [Fact]
    public async Task Two_workers_share_one_job()
    {
        var key = await _pipeline.SourceKeyAsync("shared");
        await _pipeline.PutBigAsync(key, 2_000_000, 400_000, T);
        var project = await _pipeline.ApplyAsync("shared", key);
        if (cluster.Workers.Count() < 2) await cluster.StartWorkerAsync();

        var accepted = await _pipeline.StartAsync(project, new { start = T, end = T.AddDays(60), partitions = 4 });
        var job = await _pipeline.SucceededAsync(accepted, "the shared job to succeed", 300);

        var workers = job.GetProperty("partitions").EnumerateArray().Select(p => p.GetProperty("worker").GetString()).Distinct().ToList();
        Assert.True(workers.Count == 2, $"partitions ran on {string.Join(", ", workers)}");
        Assert.Equal(2_000_000, job.GetProperty("rowsInWindow").GetInt64());
        Assert.Equal(400_000, job.GetProperty("rowsWritten").GetInt64());
    }
}
