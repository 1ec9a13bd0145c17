namespace FeatureStore.AppHost.Tests;

/// <summary>
/// Work that crosses services is one trace in the dashboard (issue 12): a materialization from the registry's endpoint through
/// RabbitMQ into pipeline-worker and back to the registry's job update; a prediction through model-api → feature-api → Redis
/// (checked in <see cref="AppHostTests"/>, after the churn sample has promoted a model). Read through the telemetry HTTP API.
/// </summary>
public sealed class TracePropagationTests(AppHostFixture fixture)
{
    private const string MaterializeMessage = "urn:message:FeatureStore.Contracts:MaterializeFeatureView";
    private const string CompletedMessage = "urn:message:FeatureStore.Contracts:MaterializationCompleted";

    [Fact]
    public async Task A_materialization_is_one_trace_from_the_registry_through_the_workers_back_to_the_job_update()
    {
        var ct = TestContext.Current.CancellationToken;
        var job = await TracedMaterialization.RunAsync(fixture, "traces", ct);
        using var telemetry = new DashboardTelemetry(fixture);
        bool IsPartitionRun(TelemetrySpan s) =>
            s is { Service: "pipeline-worker", Name: "materialize" } && s.Attributes.GetValueOrDefault("featurestore.view") == job.View;
        var spans = await telemetry.AwaitTraceAsync(job.Trace.TraceId,
            s => Connected(s, job.Trace) && s.Count(IsPartitionRun) == 2 && s.Any(DashboardBrowserTests.IsJobUpdate), ct);
        var story = $"trace {job.Trace.TraceId}:\n{string.Join('\n', spans)}";

        AssertConnected(spans, job.Trace, story);
        var root = Assert.Single(spans, s => s.ParentSpanId == job.Trace.ParentSpanId);
        Assert.True(root is { Service: "registry", Name: "POST /api/v1/feature-views/{name}/materialize" }, $"root {root}\n{story}");

        // One MaterializeFeatureView per partition, sent by the registry and consumed by pipeline-worker in this trace (a
        // redelivered message would be consumed again: at least once).
        var sends = spans.Where(s => s.Service == "registry" && IsMessage(s, "send", MaterializeMessage)).ToList();
        var consumed = spans.Where(s => s.Service == "pipeline-worker" && IsMessage(s, "process", MaterializeMessage)).ToList();
        Assert.True(sends.Count == 2 && consumed.Count >= 2,
            $"{sends.Count} sends and {consumed.Count} worker consumers of MaterializeFeatureView\n{story}");
        var runs = spans.Where(IsPartitionRun).ToList();
        Assert.Equal(new[] { "0", "1" }, runs.Select(r => r.Attributes.GetValueOrDefault("featurestore.partition")).Order());

        // Back in the registry: its consumer of each partition's MaterializationCompleted, under the worker's span, and the job's
        // final update under the last of them, after every partition finished.
        var completions = spans.Where(s => s.Service == "registry" && IsMessage(s, "process", CompletedMessage)).ToList();
        Assert.True(completions.Count >= 2, $"{completions.Count} registry consumers of MaterializationCompleted\n{story}");
        foreach (var completion in completions)
            Assert.True(Ancestors(spans, completion).Any(a => a.Service == "pipeline-worker"),
                $"{completion} does not descend from a worker span\n{story}");
        var update = Assert.Single(spans, DashboardBrowserTests.IsJobUpdate);
        var chain = Ancestors(spans, update).ToList();
        Assert.True(chain.Any(completions.Contains) && chain.Contains(root),
            $"the job update {update} is not under a completion and the endpoint\n{story}");
        Assert.True(update.Start >= runs.Max(r => r.End), $"the job update started before a partition finished\n{story}");

        // One trace, not several: every partition run the dashboard has of this view belongs to it.
        var elsewhere = (await telemetry.SpansAsync(ct)).Where(s => IsPartitionRun(s) && s.TraceId != job.Trace.TraceId).ToList();
        Assert.True(elsewhere.Count == 0, $"partition runs of {job.View} in other traces:\n{string.Join('\n', elsewhere)}");
    }

    /// <summary>
    /// A prediction the test sent with <paramref name="trace"/>: model-api's endpoint, its call to feature-api, feature-api's
    /// endpoint and its Redis commands, every span's parent in the same trace.
    /// </summary>
    internal static async Task AssertPredictionTraceAsync(AppHostFixture fixture, TestTrace trace, CancellationToken ct)
    {
        using var telemetry = new DashboardTelemetry(fixture);
        static bool IsRedis(TelemetrySpan s) => s.Service == "feature-api" && s.Attributes.GetValueOrDefault("db.system") == "redis";
        var spans = await telemetry.AwaitTraceAsync(trace.TraceId, s => Connected(s, trace) && s.Any(IsRedis), ct);
        var story = $"trace {trace.TraceId}:\n{string.Join('\n', spans)}";

        AssertConnected(spans, trace, story);
        var root = Assert.Single(spans, s => s.ParentSpanId == trace.ParentSpanId);
        Assert.True(root.Service == "model-api" && root.Name.EndsWith("/predict/churn", StringComparison.Ordinal), $"root {root}\n{story}");
        var featureApi = spans.Where(s => s.Service == "feature-api" && s.Name.EndsWith("/online-features", StringComparison.Ordinal))
            .ToList();
        Assert.True(featureApi.Count > 0, $"no feature-api endpoint span\n{story}");
        foreach (var endpoint in featureApi)
            Assert.True(Ancestors(spans, endpoint).Any(a => a.Service == "model-api" && a.Kind == "3"),
                $"{endpoint} is not under model-api's HTTP call\n{story}");
        var redis = spans.Where(IsRedis).ToList();
        Assert.True(redis.Count > 0 && redis.All(r => Ancestors(spans, r).Any(featureApi.Contains)),
            $"Redis commands not under feature-api's endpoint\n{story}");
    }

    private static bool IsMessage(TelemetrySpan span, string operation, string messageType) =>
        span.Attributes.GetValueOrDefault("messaging.operation") == operation
        && span.Attributes.GetValueOrDefault("messaging.masstransit.message_types", "").Contains(messageType, StringComparison.Ordinal);

    /// <summary>Every span's parent is in the trace, but the root's, which is the test's own span.</summary>
    private static bool Connected(IReadOnlyList<TelemetrySpan> spans, TestTrace trace)
    {
        var ids = spans.Select(s => s.SpanId).ToHashSet();
        return spans.Count > 0
            && spans.All(s => s.ParentSpanId == trace.ParentSpanId || (s.ParentSpanId is { } parent && ids.Contains(parent)));
    }

    private static void AssertConnected(IReadOnlyList<TelemetrySpan> spans, TestTrace trace, string story) =>
        Assert.True(Connected(spans, trace), $"spans whose parent is not in the trace:\n{string.Join('\n',
            spans.Where(s => s.ParentSpanId != trace.ParentSpanId && !spans.Any(p => p.SpanId == s.ParentSpanId)))}\n{story}");

    private static IEnumerable<TelemetrySpan> Ancestors(IReadOnlyList<TelemetrySpan> spans, TelemetrySpan span)
    {
        var byId = spans.ToDictionary(s => s.SpanId);
        for (var at = span; at.ParentSpanId is { } parent && byId.TryGetValue(parent, out var up); at = up) yield return up;
    }
}
