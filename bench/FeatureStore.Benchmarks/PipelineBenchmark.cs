using System.Diagnostics;
using System.Globalization;
using DuckDB.NET.Data;
using FeatureStore.Domain;
using FeatureStore.PipelineWorker.Materialization;
using FeatureStore.Storage.Objects;
using FeatureStore.Storage.Online;
using StackExchange.Redis;

namespace FeatureStore.Benchmarks;

/// <summary>
/// One pipeline worker materializing a Parquet source of N rows × F float features into Redis (online
/// only), each size in a fresh process so its peak memory is its own; then, in this process, the raw
/// rate of pipelined HSETs of the same rows' encoded payloads: the ceiling the worker is measured against.
/// </summary>
public static class PipelineBenchmark
{
    private static readonly DateTime Start = new(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc);
    private static string Redis => Environment.GetEnvironmentVariable("ConnectionStrings__redis") ?? "127.0.0.1:6390";

    public static async Task RunAsync(BenchmarkOptions options)
    {
        var root = Directory.CreateTempSubdirectory("fs-bench-pipeline-").FullName;
        try
        {
            var entities = options.Entities > 0 ? options.Entities : options.Rows / 5;
            Console.WriteLine($"pipeline: {options.Rows:N0} rows x {options.Features} float64 features, {entities:N0} entities, " +
                              $"DuckDB memory limit {options.MemoryLimit}, slices of {new WorkerOptions().RowsPerSlice:N0} rows, " +
                              $"{Environment.ProcessorCount} cores, Redis {Redis}");
            // A run computes in slices of at most WorkerOptions.RowsPerSlice rows: from one slice up, peak memory
            // should stay where it is however many slices there are.
            var sizes = new[] { options.Rows / 5, options.Rows / 2, options.Rows };
            Console.WriteLine();
            Console.WriteLine("run (own process)          rows    entities     seconds       rows/s   peak RSS MB");
            foreach (var rows in sizes)
            {
                var source = Path.Combine(root, "objects", "sources", $"activity-{rows}.parquet");
                var sourceEntities = (int)Math.Max(1, (long)entities * rows / options.Rows);
                Generate(source, rows, sourceEntities, options.Features);
                var result = ChildRun.Run("pipeline-run", options with { Rows = rows, Entities = sourceEntities, Source = source });
                Console.WriteLine($"  worker            {rows,14:N0}{sourceEntities,12:N0}{result.Seconds,12:F1}" +
                    $"{rows / result.Seconds,13:N0}{result.PeakBytes / 1e6,14:N0}");
            }

            var (rawRows, rawSeconds) = await RawWritesAsync(
                Path.Combine(root, "objects", "sources", $"activity-{options.Rows}.parquet"), options.Features);
            Console.WriteLine($"  raw HSET baseline {rawRows,14:N0}{"",12}{rawSeconds,12:F1}{rawRows / rawSeconds,13:N0}   (pipelined, " +
                $"every source row, encode excluded)");
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    /// <summary>In a child process: one materialization of <c>--source</c>; prints its duration and this process's peak memory.</summary>
    public static async Task RunOnceAsync(BenchmarkOptions options)
    {
        var source = options.Source ?? throw new ArgumentException("--source is required");
        var objectsRoot = Path.GetDirectoryName(Path.GetDirectoryName(source))!;
        var work = Directory.CreateTempSubdirectory("fs-bench-worker-").FullName;
        await using var redis = await ConnectionMultiplexer.ConnectAsync(Redis);
        var project = $"bench_{Guid.NewGuid():N}"[..14];
        try
        {
            var workerOptions = new WorkerOptions
            { WorkDirectory = work, CacheDirectory = Path.Combine(work, "cache"), MemoryLimit = options.MemoryLimit };
            var objects = new LocalFolderObjectStore(objectsRoot);
            // A view reads only under its own project's prefix (SourceScope): the generated file is put there, outside the timing.
            var key = $"sources/{project}/{Path.GetFileName(source)}";
            Directory.CreateDirectory(Path.Combine(objectsRoot, "sources", project));
            File.Copy(source, Path.Combine(objectsRoot, key));
            var materializer = new FeatureViewMaterializer(new SourceCache(objects, workerOptions),
                new OnlineExport(new RedisOnlineStore(redis), workerOptions),
                new OfflineExport(objects, workerOptions), workerOptions);
            var view = new FeatureViewDefinition(project, "activity",
                [new ViewEntity("customer", [new JoinKey("customer_id", FeatureValueType.Int64)])],
                new ViewSource("activity", SourceKind.Batch, key, "event_timestamp", null),
                Enumerable.Range(0, options.Features).Select(f => new FeatureField($"f{f}", FeatureValueType.Float64)).ToList(),
                TimeSpan.Zero, ObjectMetadata.Empty, Offline: false, Version: 1);
            var outcome = await materializer.RunAsync(view, new TimeWindow(Start, Start.AddSeconds(options.Rows)),
                new RunTarget(Guid.NewGuid()), null,
                CancellationToken.None);
            if (outcome.RowsInWindow != options.Rows || outcome.RowsWritten != options.Entities)
                throw new InvalidOperationException(
                    $"expected {options.Rows} rows and {options.Entities} entities, got {outcome.RowsInWindow} and {outcome.RowsWritten}");
            ChildRun.Report(outcome.Duration.TotalSeconds);
        }
        finally
        {
            await DeleteKeysAsync(redis, project);
            Directory.Delete(work, recursive: true);
            if (Directory.Exists(Path.Combine(objectsRoot, "sources", project)))
                Directory.Delete(Path.Combine(objectsRoot, "sources", project), recursive: true);
        }
    }

    /// <summary>customer_id spread over the entities, one event per second, features that vary by row.</summary>
    private static void Generate(string path, int rows, int entities, int features)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var connection = new DuckDBConnection("DataSource=:memory:");
        connection.Open();
        using var command = connection.CreateCommand();
        var columns = string.Join(", ", Enumerable.Range(0, features).Select(f => $"(((i * {f + 3}) % 1000) * 0.25)::DOUBLE AS f{f}"));
        command.CommandText = $"""
            SET TimeZone = 'UTC';
            COPY (SELECT ((i * 7919) % {entities})::BIGINT AS customer_id,
                         TIMESTAMPTZ '{Start:yyyy-MM-dd HH:mm:ss}+00' + to_seconds(i) AS event_timestamp, {columns}
                  FROM range({rows}) t(i)) TO '{path}' (FORMAT PARQUET)
            """;
        command.ExecuteNonQuery();
    }

    /// <summary>Every source row's payload written with plain pipelined HSET (no newer-wins check); only the Redis time is
    /// counted.</summary>
    private static async Task<(long Rows, double Seconds)> RawWritesAsync(string source, int features)
    {
        await using var redis = await ConnectionMultiplexer.ConnectAsync(Redis);
        var database = redis.GetDatabase();
        var project = $"bench_{Guid.NewGuid():N}"[..14];
        var names = Enumerable.Range(0, features).Select(f => $"f{f}").ToList();
        using var connection = new DuckDBConnection("DataSource=:memory:");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"SET TimeZone = 'UTC'; SELECT * FROM read_parquet('{source}')";
        using var reader = command.ExecuteReader();
        var batch = new List<(RedisKey Key, byte[] Payload)>(100_000);
        var redisTime = TimeSpan.Zero;
        long rows = 0;
        var values = new object?[features];
        while (true)
        {
            var more = reader.Read();
            if (more)
            {
                for (var f = 0; f < features; f++) values[f] = reader.GetDouble(2 + f);
                var key = RedisOnlineStore.KeyOf(project,
                    EntityKey.Single("customer_id", reader.GetInt64(0).ToString(CultureInfo.InvariantCulture)));
                batch.Add((key, OnlinePayload.Encode(new RowTime(FeatureValues.ToTimestamp(reader.GetValue(1))!.Value), names, values)));
            }
            if (batch.Count == batch.Capacity || (!more && batch.Count > 0))
            {
                var clock = Stopwatch.StartNew();
                var pending = new List<Task>(4096);
                foreach (var (key, payload) in batch)
                {
                    pending.Add(database.HashSetAsync(key, "activity", payload));
                    if (pending.Count == pending.Capacity) { await Task.WhenAll(pending); pending.Clear(); }
                }
                await Task.WhenAll(pending);
                redisTime += clock.Elapsed;
                rows += batch.Count;
                batch.Clear();
            }
            if (!more) break;
        }
        await DeleteKeysAsync(redis, project);
        return (rows, redisTime.TotalSeconds);
    }

    private static async Task DeleteKeysAsync(IConnectionMultiplexer redis, string project)
    {
        var database = redis.GetDatabase();
        foreach (var endpoint in redis.GetEndPoints())
        {
            var keys = new List<RedisKey>(10_000);
            await foreach (var key in redis.GetServer(endpoint).KeysAsync(pattern: $"fs:{{{project}:*", pageSize: 10_000))
            {
                keys.Add(key);
                if (keys.Count == keys.Capacity) { await database.KeyDeleteAsync([.. keys]); keys.Clear(); }
            }
            if (keys.Count > 0) await database.KeyDeleteAsync([.. keys]);
        }
    }
}
