using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FeatureStore.Contracts;
using FeatureStore.Domain;
using FeatureStore.IntegrationTests.Messaging;
using MassTransit;
using RetryAndErrorQueueTests = FeatureStore.IntegrationTests.Messaging.RetryAndErrorQueueTests;

namespace FeatureStore.IntegrationTests.Services;

/// <summary>Apply, materialize and serve through four separate service processes, over HTTP and the RabbitMQ hop.</summary>
public sealed class EndToEndTests(ServiceCluster cluster) : IClassFixture<ServiceCluster>
{
    [Fact]
    public async Task Apply_materialize_and_serve_run_through_all_four_services()
    {
        await cluster.StartAsync();
        using var registry = cluster.Registry.CreateClient();
        using var featureApi = cluster.FeatureApi.CreateClient();
        await ApplyMaterializeServe.WalkAsync(registry, featureApi, cluster.PutSourceAsync,
            cluster.Backends.Project + "_thin", cluster.Diagnostics);
    }

    [Fact]
    public async Task A_job_whose_source_is_missing_fails_with_the_reason()
    {
        await cluster.StartAsync();
        using var registry = cluster.Registry.CreateClient();
        var project = cluster.Backends.Project + "_missing";
        await Repositories.ApplyAsync(registry, Repositories.Customers(project,
            new TestView("ghost", $"sources/{project}/nothing-here.parquet", "1d", ("purchases", "int64"))));

        using var accepted = await registry.PostAsJsonAsync($"api/v1/feature-views/ghost/materialize?project={project}",
            new { start = DateTime.UtcNow.AddDays(-1), end = DateTime.UtcNow }, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        var job = await Materializations.WaitForJobAsync(registry, accepted.Headers.Location!.ToString(), cluster.Diagnostics);

        Assert.Equal(JobStatus.Failed, job.Status);
        Assert.Contains("nothing-here.parquet", job.Error);
        Assert.Contains("does not exist", job.Error);
    }

    [Fact]
    public async Task A_redelivered_command_changes_nothing_twice()
    {
        await cluster.StartAsync();
        using var registry = cluster.Registry.CreateClient();
        using var featureApi = cluster.FeatureApi.CreateClient();
        var project = cluster.Backends.Project + "_redelivery";
        var now = DateTime.UtcNow;
        await cluster.PutSourceAsync($"sources/{project}/s.parquet", await SourceData.ToParquetAsync(new CustomerStatsRow[]
        {
            new() { customer_id = 1, event_timestamp = now.AddHours(-1), purchases = 3 },
        }));
        var applied = await Repositories.ApplyAsync(registry, Repositories.Customers(project,
            new TestView("stats", $"sources/{project}/s.parquet", "1d", ("purchases", "int64"))));
        var first = await Materializations.MaterializeAsync(registry, project, "stats", now.AddDays(-1), now, cluster.Diagnostics);

        // The same command again, as a broker would redeliver it: same job id. The job is finished, so the worker skips it.
        await using (var bus = await TestBus.StartAsync(cluster.Backends.MessagingConnectionString))
        {
            var worker = await bus.Bus.GetSendEndpoint(new Uri($"queue:{Queues.Materialize}"));
            await worker.Send(new MaterializeFeatureView(first.Id, project, "stats", applied.VersionOf(ObjectKind.FeatureView, "stats"),
                first.WindowStart, first.WindowEnd),
                TestContext.Current.CancellationToken);
        }
        await RetryAndErrorQueueTests.Eventually(() =>
            Task.FromResult(cluster.Worker.LogTail(400).Contains($"Job {first.Id} partition 0 skipped")),
            "the worker to skip the redelivered command", details: () => cluster.Worker.LogTail());

        var again = await registry.GetFromJsonAsync<MaterializationJobDto>($"api/v1/materializations/{first.Id}", JsonSerializerOptions.Web,
            TestContext.Current.CancellationToken);
        // The job record did not move: same finish time, same counts.
        Assert.Equal(first with { Statistics = null, Partitions = null }, again! with { Statistics = null, Partitions = null });
        var row = (await featureApi.PostForJsonAsync("api/v1/online-features",
            new { project, entities = new { customer_id = new[] { 1 } }, features = new[] { "stats:purchases" } },
            TestContext.Current.CancellationToken)).GetProperty("results")[0];
        Assert.Equal(3, row.GetProperty("values").GetProperty("purchases").GetInt64());
    }

    [Fact]
    public async Task When_the_worker_gives_up_the_registry_fails_the_job_with_the_workers_reason()
    {
        await cluster.StartAsync();
        using var registry = cluster.Registry.CreateClient();
        var project = cluster.Backends.Project + "_fault";
        var now = DateTime.UtcNow;
        await cluster.PutSourceAsync($"sources/{project}/s.parquet", await SourceData.ToParquetAsync(new CustomerStatsRow[]
        {
            new() { customer_id = 1, event_timestamp = now, purchases = 1 },
        }));
        await Repositories.ApplyAsync(registry, Repositories.Customers(project,
            new TestView("stats", $"sources/{project}/s.parquet", "1d", ("purchases", "int64"))));
        // A window the worker has not reached yet: the job stays pending while we fault it.
        await using var bus = await TestBus.StartAsync(cluster.Backends.MessagingConnectionString);
        {
            var jobId = Guid.NewGuid();
            var command = new MaterializeFeatureView(jobId, project, "stats", 1, now, now);
            await using (var connection = new Npgsql.NpgsqlConnection(cluster.Backends.RegistryConnectionString))
            {
                await connection.OpenAsync(TestContext.Current.CancellationToken);
                await using var insert = new Npgsql.NpgsqlCommand(
                    "INSERT INTO materialization_jobs (id, project, view, version, window_start, window_end, status, " +
                    "created_at) VALUES (@id, @p, 'stats', 1, @t, @t, 'pending', @t)",
                    connection);
                insert.Parameters.AddWithValue("id", jobId.ToString("D"));
                insert.Parameters.AddWithValue("p", project);
                insert.Parameters.AddWithValue("t", new DateTimeOffset(now));
                await insert.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
            }
            // What MassTransit publishes when a consumer exhausts its retries.
            await bus.Bus.Publish<Fault<MaterializeFeatureView>>(
                new MassTransit.Events.FaultEvent<MaterializeFeatureView>(command, NewId.NextGuid(),
                MassTransit.Metadata.HostMetadataCache.Host, new TimeoutException("the object store did not answer"), []),
                TestContext.Current.CancellationToken);

            var job = await Materializations.WaitForJobAsync(registry, $"/api/v1/materializations/{jobId}", cluster.Diagnostics);
            Assert.Equal(JobStatus.Failed, job.Status);
            Assert.Contains("gave up after retries", job.Error);
            Assert.Contains("the object store did not answer", job.Error);
        }
    }
}
