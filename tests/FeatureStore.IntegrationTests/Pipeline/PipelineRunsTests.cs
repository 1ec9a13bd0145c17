using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using FeatureStore.IntegrationTests.Messaging;
using FeatureStore.IntegrationTests.Registry;
using FeatureStore.IntegrationTests.Services;

namespace FeatureStore.IntegrationTests.Pipeline;

/// <summary>Runs through the real services: incremental after full, one run at a time, cancel, schedules, workers sharing and crashing.</summary>
public sealed class PipelineRunsTests(ServiceCluster cluster) : IClassFixture<ServiceCluster>
{
    private static readonly DateTime T = new(2024, 6, 1, 0, 0, 0, DateTimeKind.Utc);

    private static string Repository(string project, string sourceKey, string extra = "") => $$"""
        project: {{project}}
        entities: [{name: customer, joinKeys: [{name: customer_id, type: int64}]}]
        sources: [{name: activity, path: {{sourceKey}}, timestampField: event_timestamp}]
        featureViews:
          - name: activity
            entities: [customer]
            source: activity
            ttl: 0
            {{extra}}
            aggregations:
              - {name: events_1d, function: count, column: amount, window: 1d}
              - {name: spend_7d, function: sum, column: amount, window: 7d}
            schema:
              - {name: events_1d, type: int64}
              - {name: spend_7d, type: float64}
              - {name: kind, type: string}
        """;

    private async Task<(HttpClient Registry, string Project)> ApplyAsync(string name, string sourceKey, string extra = "")
    {
        await cluster.StartAsync();
        var registry = cluster.Registry.CreateClient();
        var project = $"{cluster.Backends.Project}_{name}";
        var applied = await registry.ApplyYamlAsync(Repository(project, sourceKey, extra));
        Assert.True(applied.Status == 200, applied.Text);
        return (registry, project);
    }

    private async Task<string> SourceKeyAsync(string name)
    {
        await cluster.StartAsync();
        return $"sources/{cluster.Backends.Project}/{name}.parquet";
    }

    private async Task PutBigAsync(string key, long rows, long entities, DateTime start)
    {
        var file = BigSource.Write(rows, entities, start);
        await using (var content = File.OpenRead(file)) await cluster.Objects.PutAsync(key, content, TestContext.Current.CancellationToken);
        File.Delete(file);
    }

    private static async Task<Answer> StartAsync(HttpClient registry, string project, object body, string path = "materialize") =>
        await Answer.ReadAsync(await registry.PostAsync($"api/v1/feature-views/activity/{path}?project={project}", JsonContent.Create(body),
            TestContext.Current.CancellationToken));

    private async Task<JsonElement> JobAsync(HttpClient registry, Answer accepted) =>
        (await registry.GetAnswerAsync(accepted.Headers.Location!.ToString().TrimStart('/'))).Body;

    private async Task<JsonElement> UntilAsync(HttpClient registry, Answer accepted, Func<JsonElement, bool> condition, string what, int seconds = 120)
    {
        JsonElement job = default;
        await RetryAndErrorQueueTests.Eventually(async () => condition(job = await JobAsync(registry, accepted)), what, seconds,
            () => $"{job}\n{cluster.Diagnostics()}");
        return job;
    }

    [Fact]
    public async Task An_incremental_run_continues_where_the_full_run_ended()
    {
        var key = await SourceKeyAsync("incremental");
        await PutBigAsync(key, 10_000, 100, T);
        var (registry, project) = await ApplyAsync("incremental", key);
        var firstEnd = T.AddSeconds(4_999);

        var full = await StartAsync(registry, project, new { start = T, end = firstEnd });
        await UntilAsync(registry, full, j => j.GetProperty("status").GetString() == "succeeded", "the full run to succeed");
        await PutBigAsync(key, 20_000, 100, T); // the next 10 000 seconds of events arrive
        var incremental = await StartAsync(registry, project, new { end = T.AddSeconds(19_999) }, "materialize-incremental");
        Assert.Equal(202, incremental.Status);
        Assert.Equal(firstEnd, incremental.Body.GetProperty("windowStart").GetDateTime().ToUniversalTime());
        var job = await UntilAsync(registry, incremental, j => j.GetProperty("status").GetString() == "succeeded", "the incremental run to succeed");

        Assert.True(job.GetProperty("incremental").GetBoolean());
        Assert.Equal(15_001, job.GetProperty("rowsInWindow").GetInt64()); // seconds 4 999 … 19 999, both ends inclusive
        var files = (await registry.GetAnswerAsync($"api/v1/feature-views/activity/offline-files?project={project}")).Body.EnumerateArray().ToList();
        Assert.Equal([1L, 2L], files.Select(f => f.GetProperty("commitSequence").GetInt64()).Distinct().Order());
        Assert.Equal(5_000 + 15_001, files.Sum(f => f.GetProperty("rowCount").GetInt64()));
        var statistics = job.GetProperty("statistics").GetProperty("features");
        Assert.Equal(15_001, statistics.GetProperty("kind").GetProperty("count").GetInt64());
        Assert.Equal(3, statistics.GetProperty("kind").GetProperty("distinct").GetInt64());
    }

    [Fact]
    public async Task A_second_run_is_refused_while_one_runs_and_a_cancelled_run_shows_nothing()
    {
        var key = await SourceKeyAsync("large");
        await PutBigAsync(key, 3_000_000, 600_000, T);
        var (registry, project) = await ApplyAsync("cancel", key);

        var running = await StartAsync(registry, project, new { start = T, end = T.AddDays(60) });
        Assert.Equal(202, running.Status);
        var second = await StartAsync(registry, project, new { start = T, end = T.AddDays(60) });
        Assert.Equal(409, second.Status);
        Assert.Contains(running.Body.GetProperty("jobId").GetString()!, second.Text);

        await UntilAsync(registry, running, j => j.GetProperty("status").GetString() == "running", "the job to start");
        var cancelled = await Answer.ReadAsync(await registry.PostAsync($"api/v1/materializations/{running.Body.GetProperty("jobId").GetString()}/cancel",
            null, TestContext.Current.CancellationToken));
        Assert.Equal("cancelled", cancelled.Body.GetProperty("status").GetString());
        await RetryAndErrorQueueTests.Eventually(() => Task.FromResult(cluster.Worker.LogTail(200).Contains("was cancelled; stopped")),
            "the worker to stop the cancelled job", 60, () => cluster.Worker.LogTail());
        Assert.Equal(409, (await Answer.ReadAsync(await registry.PostAsync($"api/v1/materializations/{running.Body.GetProperty("jobId").GetString()}/cancel",
            null, TestContext.Current.CancellationToken))).Status);
        Assert.Empty((await registry.GetAnswerAsync($"api/v1/feature-views/activity/offline-files?project={project}")).Body.EnumerateArray());
        Assert.Equal("cancelled", (await JobAsync(registry, running)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_schedule_fires_incremental_runs()
    {
        var key = await SourceKeyAsync("scheduled");
        await PutBigAsync(key, 1_000, 10, DateTime.UtcNow.AddMinutes(-20));
        var (registry, project) = await ApplyAsync("scheduled", key, "schedule: \"*/2 * * * * *\"");

        await RetryAndErrorQueueTests.Eventually(async () =>
        {
            var jobs = (await registry.GetAnswerAsync($"api/v1/feature-views/activity/materializations?project={project}")).Body.EnumerateArray().ToList();
            return jobs.Count(j => j.GetProperty("incremental").GetBoolean() && j.GetProperty("status").GetString() == "succeeded") >= 2;
        }, "two scheduled runs to succeed", 60, () => cluster.Registry.LogTail());
        var history = (await registry.GetAnswerAsync($"api/v1/feature-views/activity/materializations?project={project}")).Body.EnumerateArray()
            .Where(j => j.GetProperty("status").GetString() == "succeeded").Reverse().ToList();
        // Each run starts where the previous ended.
        Assert.Equal(history[0].GetProperty("windowEnd").GetString(), history[1].GetProperty("windowStart").GetString());
        await registry.ApplyYamlAsync(Repository(project, key)); // no schedule: no more runs
    }

    [Fact]
    public async Task Two_workers_share_one_job()
    {
        var key = await SourceKeyAsync("shared");
        await PutBigAsync(key, 2_000_000, 400_000, T);
        var (registry, project) = await ApplyAsync("shared", key);
        await cluster.StartWorkerAsync();

        var accepted = await StartAsync(registry, project, new { start = T, end = T.AddDays(60), partitions = 4 });
        var job = await UntilAsync(registry, accepted, j => j.GetProperty("status").GetString() == "succeeded", "the shared job to succeed", 300);

        var workers = job.GetProperty("partitions").EnumerateArray().Select(p => p.GetProperty("worker").GetString()).Distinct().ToList();
        Assert.True(workers.Count == 2, $"partitions ran on {string.Join(", ", workers)}");
        Assert.Equal(2_000_000, job.GetProperty("rowsInWindow").GetInt64());
        Assert.Equal(400_000, job.GetProperty("rowsWritten").GetInt64());
    }
}
