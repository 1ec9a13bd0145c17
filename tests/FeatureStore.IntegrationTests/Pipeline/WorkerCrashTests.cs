using System.Text.Json;
using DuckDB.NET.Data;
using FeatureStore.Domain;
using FeatureStore.IntegrationTests.Services;
using FeatureStore.Storage.Online;
using StackExchange.Redis;
using static FeatureStore.IntegrationTests.Pipeline.PipelineDriver;

namespace FeatureStore.IntegrationTests.Pipeline;

/// <summary>
/// A worker killed with SIGKILL in the middle of a run (its offline files uploaded, its online writes
/// half done): RabbitMQ hands the partition to another worker, and the job ends exactly as an
/// uninterrupted run of the same data does, online and offline.
/// </summary>
public sealed class WorkerCrashTests(ServiceCluster cluster) : IClassFixture<ServiceCluster>
{
    private const long Rows = 3_000_000, Entities = 1_000_000;
    private readonly PipelineDriver _pipeline = new(cluster);

    [Fact]
    public async Task A_job_whose_worker_is_killed_mid_run_ends_as_an_uninterrupted_run_does()
    {
        // The same rows for both projects, each under its own prefix (a project's sources read nowhere else).
        var (referenceKey, crashedKey) = (await _pipeline.SourceKeyAsync("reference"), await _pipeline.SourceKeyAsync("crashed"));
        await _pipeline.PutBigAsync([referenceKey, crashedKey], Rows, Entities, T);
        var window = new { start = T, end = T.AddDays(60) };

        var reference = await _pipeline.ApplyAsync("reference", referenceKey);
        var referenceJob = await _pipeline.SucceededAsync(await _pipeline.StartAsync(reference, window),
            "the reference run to succeed", 300);

        var crashed = await _pipeline.ApplyAsync("crashed", crashedKey);
        var accepted = await _pipeline.StartAsync(crashed, window);
        // Online writes report progress: by then the offline files are uploaded (not catalogued) and some entities written.
        await _pipeline.UntilAsync(accepted, j => j.TryGetProperty("rowsDone", out var done) && done.ValueKind == JsonValueKind.Number
            && done.GetInt64() > 0, "the run to start writing online", 300);
        await cluster.Worker.KillAsync();
        Assert.Equal("running", Status(await _pipeline.JobAsync(accepted)));
        var replacement = await cluster.StartWorkerAsync();
        var job = await _pipeline.SucceededAsync(accepted, "the redelivered partition to succeed on the new worker", 300);

        Assert.Equal($"{Environment.MachineName}:{replacement.ProcessId}",
            job.GetProperty("partitions")[0].GetProperty("worker").GetString());
        foreach (var count in new[] { "rowsRead", "rowsInWindow", "rowsWritten", "invalidRows" })
            Assert.Equal(referenceJob.GetProperty(count).GetInt64(), job.GetProperty(count).GetInt64());
        AssertSameStatistics(referenceJob.GetProperty("statistics").GetProperty("features"),
            job.GetProperty("statistics").GetProperty("features"));
        await AssertSameOfflineRowsAsync(reference, crashed);
        await AssertSameOnlineValuesAsync(reference, crashed);
    }

    /// <summary>
    /// Counts and extremes are exact; DuckDB sums floating point in parallel, so means and deviations may differ in the
    /// last digits; quantiles and distinct counts are sketches (approximate by contract), so they are not compared.
    /// </summary>
    private static void AssertSameStatistics(JsonElement expected, JsonElement actual)
    {
        Assert.Equal(expected.EnumerateObject().Select(f => f.Name), actual.EnumerateObject().Select(f => f.Name));
        foreach (var feature in expected.EnumerateObject())
        {
            var other = actual.GetProperty(feature.Name);
            foreach (var exact in new[] { "count", "nulls", "min", "max" })
                Assert.Equal(feature.Value.GetProperty(exact).GetRawText(), other.GetProperty(exact).GetRawText());
            foreach (var close in new[] { "mean", "stdDev" })
                if (feature.Value.TryGetProperty(close, out var value) && value.ValueKind == JsonValueKind.Number)
                    Assert.Equal(value.GetDouble(), other.GetProperty(close).GetDouble(), 1e-9 * Math.Max(1, Math.Abs(value.GetDouble())));
        }
    }

    private async Task AssertSameOfflineRowsAsync(string reference, string crashed)
    {
        var directory = Directory.CreateTempSubdirectory("fs-crash-").FullName;
        try
        {
            async Task<string> DownloadAsync(string project)
            {
                var files = await _pipeline.OfflineFilesAsync(project);
                Assert.NotEmpty(files);
                Directory.CreateDirectory(Path.Combine(directory, project));
                foreach (var (file, i) in files.Select((f, i) => (f.GetProperty("path").GetString()!, i)))
                    await cluster.Objects.DownloadAsync(file, Path.Combine(directory, project, $"{i}.parquet"),
                        TestContext.Current.CancellationToken);
                return $"read_parquet('{Path.Combine(directory, project)}/*.parquet')";
            }
            var (left, right) = (await DownloadAsync(reference), await DownloadAsync(crashed));
            using var connection = new DuckDBConnection("DataSource=:memory:");
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = $"""
                SELECT (SELECT count(*) FROM {left}), (SELECT count(*) FROM {right}),
                       (SELECT count(*) FROM (SELECT * FROM {left} EXCEPT ALL SELECT * FROM {right})),
                       (SELECT count(*) FROM (SELECT * FROM {right} EXCEPT ALL SELECT * FROM {left}))
                """;
            using var reader = command.ExecuteReader();
            reader.Read();
            Assert.Equal((Rows, Rows, 0L, 0L), (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3)));
        }
        finally { Directory.Delete(directory, recursive: true); }
    }

    private static async Task AssertSameOnlineValuesAsync(string reference, string crashed)
    {
        await using var redis = await ConnectionMultiplexer.ConnectAsync(TestInfrastructure.Redis);
        var store = new RedisOnlineStore(redis);
        var ct = TestContext.Current.CancellationToken;
        var differences = 0L;
        for (long first = 0; first < Entities; first += 20_000)
        {
            var keys = Enumerable.Range(0, 20_000).Select(i => EntityKey.Single("customer_id",
                (first + i).ToString(System.Globalization.CultureInfo.InvariantCulture))).ToList();
            var (expected, actual) = (await store.ReadAsync(reference, keys, ["activity"], ct),
                await store.ReadAsync(crashed, keys, ["activity"], ct));
            Assert.All(expected, e => Assert.NotNull(e));
            differences += expected.Zip(actual)
                .LongCount(p => p.First!.Time != p.Second?.Time || p.First.Values.GetRawText() != p.Second.Values.GetRawText());
        }
        Assert.Equal(0L, differences);
    }
}
