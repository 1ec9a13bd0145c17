using System.Net.Http.Json;
using System.Text.Json;
using FeatureStore.IntegrationTests.Messaging;
using FeatureStore.IntegrationTests.Registry;
using FeatureStore.IntegrationTests.Services;

namespace FeatureStore.IntegrationTests.Pipeline;

/// <summary>
/// Drives materializations of one <c>activity</c> view through the real services: puts a large source
/// (<see cref="BigSource"/>), applies the view in a project of its own, starts runs and follows jobs.
/// </summary>
public sealed class PipelineDriver(ServiceCluster cluster)
{
    public static readonly DateTime T = new(2024, 6, 1, 0, 0, 0, DateTimeKind.Utc);

    public static string Repository(string project, string sourceKey, string extra = "") => $$"""
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

    public HttpClient Registry { get; private set; } = null!;

    /// <summary>Starts the cluster (on first use) and names the source object of the project <see cref="ApplyAsync"/> makes for
    /// <paramref name="name"/>: under that project's own prefix, the only place its sources may read.</summary>
    public async Task<string> SourceKeyAsync(string name)
    {
        await cluster.StartAsync();
        Registry ??= cluster.Registry.CreateClient();
        return $"sources/{ProjectOf(name)}/activity.parquet";
    }

    /// <summary>The project <c>{slice}_{name}</c>.</summary>
    public string ProjectOf(string name) => $"{cluster.Backends.Project}_{name}";

    /// <summary>Writes one large source and puts it at each of <paramref name="keys"/>.</summary>
    public async Task PutBigAsync(IEnumerable<string> keys, long rows, long entities, DateTime start)
    {
        var file = BigSource.Write(rows, entities, start);
        foreach (var key in keys)
        {
            await using var content = File.OpenRead(file);
            await cluster.Objects.PutAsync(key, content, TestContext.Current.CancellationToken);
        }
        File.Delete(file);
    }

    public Task PutBigAsync(string key, long rows, long entities, DateTime start) => PutBigAsync([key], rows, entities, start);

    /// <summary>Applies the view in project <c>{slice}_{name}</c>; returns the project.</summary>
    public async Task<string> ApplyAsync(string name, string sourceKey, string extra = "")
    {
        var project = ProjectOf(name);
        var applied = await Registry.ApplyYamlAsync(Repository(project, sourceKey, extra));
        Assert.True(applied.Status == 200, applied.Text);
        return project;
    }

    public async Task<Answer> StartAsync(string project, object body, string path = "materialize") =>
        await Answer.ReadAsync(await Registry.PostAsync($"api/v1/feature-views/activity/{path}?project={project}", JsonContent.Create(body),
            TestContext.Current.CancellationToken));

    public async Task<Answer> CancelAsync(Answer accepted) =>
        await Answer.ReadAsync(await Registry.PostAsync($"api/v1/materializations/{accepted.Body.GetProperty("jobId").GetString()}/cancel",
            null, TestContext.Current.CancellationToken));

    public async Task<JsonElement> JobAsync(Answer accepted) =>
        (await Registry.GetAnswerAsync(accepted.Headers.Location!.ToString().TrimStart('/'))).Body;

    public async Task<List<JsonElement>> OfflineFilesAsync(string project) =>
        (await Registry.GetAnswerAsync($"api/v1/feature-views/activity/offline-files?project={project}")).Body.EnumerateArray().ToList();

    public async Task<JsonElement> UntilAsync(Answer accepted, Func<JsonElement, bool> condition, string what, int seconds = 120)
    {
        JsonElement job = default;
        await RetryAndErrorQueueTests.Eventually(async () => condition(job = await JobAsync(accepted)), what, seconds,
            () => $"{job}\n{cluster.Diagnostics()}");
        return job;
    }

    public Task<JsonElement> SucceededAsync(Answer accepted, string what, int seconds = 120) =>
        UntilAsync(accepted, j => Status(j) == "succeeded", what, seconds);

    public static string? Status(JsonElement job) => job.GetProperty("status").GetString();
}
