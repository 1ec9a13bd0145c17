using System.Diagnostics;
using System.Net.Http.Json;
using FeatureStore.Storage.Objects;

namespace FeatureStore.IntegrationTests.Services;

/// <summary>
/// registry, pipeline-worker and feature-api as processes on servers a test may take down (its own PostgreSQL, S3 or
/// RabbitMQ in place of the shared one), with one project whose answers need every dependency: view <c>stats</c>
/// materialized over the last 30 days (online in Redis, offline in the object store, catalogued in the registry) and push
/// source <c>clicks</c> read by view <c>clicks</c>. The calls each dependency serves are below, as answers.
/// </summary>
public sealed class OutageRig
{
    private readonly Dictionary<string, string> _environment;

    private OutageRig(IsolatedBackends backends, Dictionary<string, string> environment)
    {
        Backends = backends;
        _environment = environment;
    }

    public IsolatedBackends Backends { get; }
    public ServiceProcess Registry { get; private set; } = null!;
    public ServiceProcess FeatureApi { get; private set; } = null!;
    public HttpClient RegistryHttp { get; private set; } = null!;
    public HttpClient FeatureApiHttp { get; private set; } = null!;
    public IObjectStore Objects { get; private set; } = null!;
    public string Project => Backends.Project;
    public DateTime Now { get; } = DateTime.UtcNow;

    /// <summary>Starts the services on <paramref name="backends"/>, with <paramref name="configure"/> changing their environment
    /// (another server for a dependency), and applies and materializes the project.</summary>
    public static async Task<OutageRig> StartAsync(OwnedResources resources, IsolatedBackends backends,
        Action<Dictionary<string, string>> configure)
    {
        var environment = backends.ServiceEnvironment();
        environment["FeatureStore__DataDirectory"] = resources.DataDirectory;
        configure(environment);
        var rig = new OutageRig(backends, environment);
        rig.Registry = resources.Own(ServiceProcess.Start("registry", "services/registry", "FeatureStore.Registry", environment));
        environment["services__registry__http__0"] = rig.Registry.BaseAddress.ToString();
        var worker = resources.Own(ServiceProcess.Start("pipeline-worker", "services/pipeline-worker", "FeatureStore.PipelineWorker",
            environment));
        rig.FeatureApi = resources.Own(ServiceProcess.Start("feature-api", "services/feature-api", "FeatureStore.FeatureApi", environment));
        await Task.WhenAll(new[] { rig.Registry, worker, rig.FeatureApi }.Select(p => p.WaitUntilReadyAsync(TimeSpan.FromSeconds(90))));
        rig.RegistryHttp = rig.Registry.CreateClient();
        rig.FeatureApiHttp = rig.FeatureApi.CreateClient();
        rig.Objects = new S3ObjectStore(S3ObjectStore.CreateClient(environment["ConnectionStrings__minio"]), backends.Bucket);
        await rig.SeedAsync(() => string.Join("\n", rig.Registry.LogTail(15), worker.LogTail(15)));
        return rig;
    }

    private async Task SeedAsync(Func<string> diagnostics)
    {
        var prefix = $"sources/{Project}";
        await PutAsync($"{prefix}/stats.parquet", new CustomerStatsRow[]
        {
            new() { customer_id = 1, event_timestamp = Now.AddDays(-2), purchases = 5 },
            new() { customer_id = 2, event_timestamp = Now.AddDays(-1), purchases = 8 },
        });
        await PutAsync($"{prefix}/clicks.parquet",
            new ClickRow[] { new() { customer_id = 9, event_timestamp = Now.AddDays(-1), clicks = 1 } });
        var applied = await ApplyAsync();
        Assert.True(applied.Status == 200, applied.Text);
        await Materializations.MaterializeAsync(RegistryHttp, Project, "stats", Now.AddDays(-30), Now, diagnostics);
    }

    private async Task PutAsync<T>(string key, IEnumerable<T> rows) where T : new() =>
        await Objects.PutAsync(key, new MemoryStream(await SourceData.ToParquetAsync(rows)), CancellationToken.None);

    /// <summary>The project's repository (the same each time: an apply that changes nothing still reads the registry's
    /// database).</summary>
    public Task<Answer> ApplyAsync() => RegistryHttp.ApplyYamlAsync($$"""
        project: {{Project}}
        entities: [{name: customer, joinKeys: [{name: customer_id, type: int64}]}]
        sources:
          - {name: stats, path: sources/{{Project}}/stats.parquet, timestampField: event_timestamp}
          - {name: clicks_batch, path: sources/{{Project}}/clicks.parquet, timestampField: event_timestamp}
          - {name: clicks, kind: push, batchSource: clicks_batch}
        featureViews:
          - {name: stats, entities: [customer], source: stats, ttl: 10d, schema: [{name: purchases, type: int64}]}
          - {name: clicks, entities: [customer], source: clicks, ttl: 0, schema: [{name: clicks, type: int64}]}
        """);

    public async Task<Answer> ListViewsAsync() => await RegistryHttp.GetAnswerAsync($"api/v1/feature-views?project={Project}");

    public async Task<Answer> OnlineAsync() => await Answer.ReadAsync(await FeatureApiHttp.PostAsJsonAsync("api/v1/online-features", new
    {
        project = Project, entities = new Dictionary<string, long[]> { ["customer_id"] = [1, 2] }, features = new[] { "stats:purchases" },
    }));

    /// <summary>A training set of two rows within what <c>stats</c> covers (its catalog is in the registry, its files in S3).</summary>
    public async Task<Answer> HistoricalAsync() => await Answer.ReadAsync(await FeatureApiHttp.PostAsJsonAsync(
        "api/v1/historical-features", new
        {
            project = Project, features = new[] { "stats:purchases" },
            entities = new[] { 1L, 2L }.Select(id => new Dictionary<string, object>
            { ["customer_id"] = id, ["event_timestamp"] = ServingScenarioTime(Now.AddHours(-1)) }),
        }));

    /// <summary>The same training set, saved as a dataset of a new name: it needs the object store whatever feature-api has
    /// cached.</summary>
    public async Task<Answer> HistoricalSavedAsync() => await Answer.ReadAsync(await FeatureApiHttp.PostAsJsonAsync(
        "api/v1/historical-features", new
        {
            project = Project, features = new[] { "stats:purchases" }, saveAs = $"d{Guid.NewGuid():N}",
            entities = new[] { new Dictionary<string, object> { ["customer_id"] = 1L, ["event_timestamp"] = ServingScenarioTime(Now) } },
        }));

    /// <summary>One row pushed to the offline store (a file in S3, catalogued through the registry).</summary>
    public async Task<Answer> PushOfflineAsync() => await Answer.ReadAsync(await FeatureApiHttp.PostAsJsonAsync("api/v1/push", new
    {
        project = Project, pushSource = "clicks", to = "offline",
        rows = new[] { new Dictionary<string, object>
            { ["customer_id"] = 9, ["event_timestamp"] = ServingScenarioTime(Now.AddHours(-1)), ["clicks"] = 2 } },
    }));

    public async Task<Answer> MaterializeAsync() => await Answer.ReadAsync(await RegistryHttp.PostAsJsonAsync(
        $"api/v1/feature-views/stats/materialize?project={Project}", new { start = Now.AddDays(-30), end = Now }));

    private static string ServingScenarioTime(DateTime t) => Serving.ServingScenario.Iso(t);

    /// <summary>The last log lines of the services, for failure messages.</summary>
    public string Diagnostics() => string.Join("\n", Registry.LogTail(20), FeatureApi.LogTail(20));
}

/// <summary>A named call of a test under load: what answers while a dependency is down and how soon it succeeds again.</summary>
public sealed record Call(string Name, Func<Task<Answer>> Send, int Success = 200);

public static class Load
{
    /// <summary>How long one answer may take before it counts as a hang (status 0).</summary>
    public static readonly TimeSpan AnswerLimit = TimeSpan.FromSeconds(20);

    /// <summary>Sends every call over and over, each in its own loop, for <paramref name="span"/>; every answer, by call.</summary>
    public static async Task<List<(string Call, Answer Answer, TimeSpan Took)>> DuringAsync(TimeSpan span, params Call[] calls)
    {
        var answers = new List<(string, Answer, TimeSpan)>();
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(calls.Select(async call =>
        {
            while (clock.Elapsed < span)
            {
                var took = Stopwatch.StartNew();
                var answer = await SendAsync(call);
                lock (answers) answers.Add((call.Name, answer, took.Elapsed));
            }
        }));
        return answers;
    }

    /// <summary>Sends each call until it succeeds (within <paramref name="limit"/>); the seconds until the last one did.</summary>
    public static async Task<double> UntilAllSucceedAsync(TimeSpan limit, params Call[] calls)
    {
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(calls.Select(async call =>
        {
            Answer answer;
            do answer = await SendAsync(call);
            while (answer.Status != call.Success && clock.Elapsed < limit && await Delay());
            Assert.True(answer.Status == call.Success,
                $"{call.Name} still {answer.Status} {clock.Elapsed.TotalSeconds:F1} s after the restart: {answer.Text}");
        }));
        return clock.Elapsed.TotalSeconds;
    }

    private static async Task<bool> Delay()
    {
        await Task.Delay(100);
        return true;
    }

    private static async Task<Answer> SendAsync(Call call)
    {
        try { return await call.Send().WaitAsync(AnswerLimit); }
        catch (Exception e) when (e is TimeoutException or HttpRequestException or TaskCanceledException)
        {
            return new Answer(0, new HttpResponseMessage().Headers, default, $"no answer: {e.GetType().Name} {e.Message}");
        }
    }

    /// <summary>"call: status×count, …" for the figures a test prints.</summary>
    public static string Describe(IEnumerable<(string Call, Answer Answer, TimeSpan Took)> answers) =>
        string.Join("; ", answers.GroupBy(a => a.Call).Select(g =>
            $"{g.Key}: {g.Count()} requests, statuses " +
            $"{string.Join(",", g.GroupBy(a => a.Answer.Status).Select(s => $"{s.Key}×{s.Count()}"))}" +
            $", slowest {g.Max(a => a.Took.TotalSeconds):F1} s"));

    /// <summary>Every answer is a 503 problem naming one of <paramref name="dependencies"/>, with Retry-After.</summary>
    public static void AssertAllRefused(IEnumerable<(string Call, Answer Answer, TimeSpan Took)> answers, params string[] dependencies) =>
        Assert.All(answers, a =>
        {
            Assert.True(a.Answer.Status == 503, $"{a.Call}: {a.Answer.Status} {a.Answer.Text}");
            Assert.True(a.Answer.ErrorFields.Any() && a.Answer.ErrorFields.All(dependencies.Contains),
                $"{a.Call}: 503 naming {string.Join(",", a.Answer.ErrorFields)}, not {string.Join(" or ", dependencies)}: {a.Answer.Text}");
            Assert.NotNull(a.Answer.Headers.RetryAfter);
        });
}
