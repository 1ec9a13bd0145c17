using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Aspire.Hosting.Testing;
using FeatureStore.Contracts;
using FeatureStore.Domain;
using FeatureStore.Storage.Objects;

namespace FeatureStore.AppHost.Tests;

/// <summary>One materialization through the AppHost's registry, and the trace the test started it in.</summary>
public sealed record TracedJob(string Project, string View, MaterializationJobDto Job, TestTrace Trace);

/// <summary>
/// A W3C trace context a test sends (<c>traceparent</c>) so that the service continues the test's trace: the test then knows
/// which trace to ask the dashboard for. <see cref="ParentSpanId"/> is the test's own span, which is never exported.
/// </summary>
public sealed record TestTrace(string TraceId, string ParentSpanId)
{
    public static TestTrace New() => new(ActivityTraceId.CreateRandom().ToHexString(), ActivitySpanId.CreateRandom().ToHexString());

    public HttpRequestMessage Stamp(HttpRequestMessage request)
    {
        request.Headers.Add("traceparent", $"00-{TraceId}-{ParentSpanId}-01");
        return request;
    }
}

/// <summary>
/// Applies a one-view repository in its own project and materializes it in two partitions (so both worker replicas can
/// take one), waiting until the job succeeds. The request carries a <c>traceparent</c> of the test's choosing: the
/// registry continues that trace, so the test knows which trace to look for without guessing from names or times.
/// </summary>
public static class TracedMaterialization
{
    public static async Task<TracedJob> RunAsync(AppHostFixture fixture, string project, CancellationToken ct)
    {
        var app = fixture.App;
        using var registry = app.CreateHttpClient("registry");
        registry.DefaultRequestHeaders.Add(TestCredentials.Header, TestCredentials.AdminKey);
        var minio = await app.GetConnectionStringAsync("minio", ct)
            ?? throw new InvalidOperationException("the object store's connection string did not resolve");
        var objects = new S3ObjectStore(S3ObjectStore.CreateClient(minio), "featurestore");

        var now = DateTime.UtcNow;
        var view = $"{project}_stats";
        var key = $"sources/{project}/{view}.parquet";
        var rows = Enumerable.Range(1, 40).Select(i => new CustomerStatsRow
        {
            customer_id = i, event_timestamp = now.AddHours(-i), created = now.AddHours(-i), purchases = i,
            avg_basket = i / 2.0, segment = $"s{i % 3}",
        });
        await objects.PutAsync(key, new MemoryStream(await SourceData.ToParquetAsync(rows)), ct);
        await Repositories.ApplyAsync(registry, Repositories.Customers(project,
            new TestView(view, key, "10d", ("purchases", "int64"), ("avg_basket", "float64"), ("segment", "string"))));

        var trace = TestTrace.New();
        using var request = trace.Stamp(new HttpRequestMessage(HttpMethod.Post,
            $"api/v1/feature-views/{view}/materialize?project={project}")
        {
            Content = JsonContent.Create(new { start = now.AddDays(-3), end = now, partitions = 2 }),
        });
        using var accepted = await registry.SendAsync(request, ct);
        var body = await accepted.Content.ReadAsStringAsync(ct);
        Assert.True(accepted.StatusCode == HttpStatusCode.Accepted, $"materialize {view} answered {(int)accepted.StatusCode}: {body}");
        var location = accepted.Headers.Location?.ToString() ?? throw new InvalidOperationException("202 without a Location header");
        var job = await Materializations.WaitForJobAsync(registry, location, fixture.States);
        Assert.True(job.Status == JobStatus.Succeeded, $"job for {view} ended {job.Status}: {job.Error}");
        Assert.Equal(2, job.PartitionCount);
        Assert.Equal(40, job.RowsWritten);
        return new TracedJob(project, view, job, trace);
    }
}
