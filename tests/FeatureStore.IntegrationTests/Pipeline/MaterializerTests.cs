using FeatureStore.Domain;
using FeatureStore.PipelineWorker.Materialization;
using FeatureStore.Storage.Objects;
using FeatureStore.Storage.Online;

namespace FeatureStore.IntegrationTests.Pipeline;

/// <summary>
/// Materialization on small hand-made data with known answers, on the embedded backends (a local
/// folder and SQLite): window edges, ties, nulls, type errors, and never going back in time.
/// </summary>
public sealed class MaterializerTests
{
    private static readonly DateTime T = new(2024, 3, 10, 12, 0, 0, DateTimeKind.Utc);
    private readonly LocalFolderObjectStore _objects = new(Path.Combine(Path.GetTempPath(), $"fs-mat-{Guid.NewGuid():N}"));
    private readonly SqliteOnlineStore _online = new(Path.Combine(Path.GetTempPath(), $"fs-mat-{Guid.NewGuid():N}.db"));
    private readonly FeatureViewMaterializer _materializer;

    public MaterializerTests()
    {
        var scratch = Path.Combine(Path.GetTempPath(), $"fs-mat-{Guid.NewGuid():N}");
        var options = new WorkerOptions
        { WorkDirectory = Path.Combine(scratch, "work"), CacheDirectory = Path.Combine(scratch, "cache"), Threads = 2 };
        _materializer = new FeatureViewMaterializer(new SourceCache(_objects, options), new OnlineExport(_online, options),
            new OfflineExport(_objects, options), options);
    }

    private Task<MaterializationOutcome> RunAsync(FeatureViewDefinition view, TimeWindow window) =>
        _materializer.RunAsync(view, window, new RunTarget(Guid.NewGuid()), null, TestContext.Current.CancellationToken);

    private static FeatureViewDefinition View(params (string Name, FeatureValueType Type)[] features) => new(
        "default", "stats", [new ViewEntity("customer", [new JoinKey("customer_id", FeatureValueType.Int64)])],
        new ViewSource("stats_source", SourceKind.Batch, "sources/default/stats.parquet", "event_timestamp", "created"),
        (features.Length == 0 ? [("purchases", FeatureValueType.Int64), ("segment", FeatureValueType.String)] : features)
            .Select(f => new FeatureField(f.Name, f.Type)).ToList(),
        TimeSpan.Zero, ObjectMetadata.Empty, Version: 1); // TTL 0: values from 2024 never expire here

    private async Task PutAsync(params CustomerStatsRow[] rows) =>
        await _objects.PutAsync("sources/default/stats.parquet", new MemoryStream(await SourceData.ToParquetAsync(rows)),
            TestContext.Current.CancellationToken);

    private async Task<Dictionary<long, (long? Purchases, DateTimeOffset EventTime)>> OnlineAsync(params long[] ids)
    {
        var entries = await _online.ReadAsync("default",
            ids.Select(id => EntityKey.Single("customer_id", id.ToString())).ToList(), ["stats"],
            TestContext.Current.CancellationToken);
        return ids.Zip(entries).Where(p => p.Second is not null).ToDictionary(p => p.First, p =>
        {
            p.Second!.TryGetValue("purchases", out var v);
            return (v.ValueKind == System.Text.Json.JsonValueKind.Number ? v.GetInt64() : (long?)null, p.Second.Time.EventTime);
        });
    }

    [Fact]
    public async Task Both_ends_of_the_window_are_inclusive()
    {
        await PutAsync(
            new() { customer_id = 1, event_timestamp = T.AddTicks(-10), purchases = 1 },   // 1 µs before start
            new() { customer_id = 2, event_timestamp = T, purchases = 2 },                  // exactly start
            new() { customer_id = 3, event_timestamp = T.AddHours(1), purchases = 3 },      // exactly end
            new() { customer_id = 4, event_timestamp = T.AddHours(1).AddTicks(10), purchases = 4 }); // 1 µs after end

        var outcome = await RunAsync(View(), new TimeWindow(T, T.AddHours(1)));

        Assert.Equal((4L, 2L, 2L, 2L), (outcome.RowsRead, outcome.RowsInWindow, outcome.RowsWritten, outcome.OnlineKeysWritten));
        Assert.Equal([2L, 3L], (await OnlineAsync(1, 2, 3, 4)).Keys.Order());
    }

    [Fact]
    public async Task Latest_event_wins_then_latest_created_then_the_later_row()
    {
        await PutAsync(
            new() { customer_id = 1, event_timestamp = T.AddMinutes(5), purchases = 15 },
            new() { customer_id = 1, event_timestamp = T.AddMinutes(9), purchases = 19 },
            new() { customer_id = 1, event_timestamp = T.AddMinutes(7), purchases = 17 },
            new() { customer_id = 2, event_timestamp = T, created = T.AddMinutes(2), purchases = 22 },
            new() { customer_id = 2, event_timestamp = T, created = T.AddMinutes(1), purchases = 21 },
            new() { customer_id = 2, event_timestamp = T, created = null, purchases = 20 },
            new() { customer_id = 3, event_timestamp = T, created = T, purchases = 31 },
            new() { customer_id = 3, event_timestamp = T, created = T, purchases = 32 });

        await RunAsync(View(), new TimeWindow(T, T.AddDays(1)));

        var online = await OnlineAsync(1, 2, 3);
        Assert.Equal(19L, online[1].Purchases);
        Assert.Equal(22L, online[2].Purchases);
        Assert.Equal(32L, online[3].Purchases); // a full tie yields one row: the one later in the source
    }

    [Fact]
    public async Task An_earlier_window_never_overwrites_newer_values()
    {
        await PutAsync(
            new() { customer_id = 1, event_timestamp = T, purchases = 1 },
            new() { customer_id = 1, event_timestamp = T.AddDays(1), purchases = 2 });
        await RunAsync(View(), new TimeWindow(T.AddHours(12), T.AddDays(2)));

        var backfill = await RunAsync(View(), new TimeWindow(T.AddDays(-1), T.AddHours(1)));

        Assert.Equal(1, backfill.RowsWritten);
        Assert.Equal(0, backfill.OnlineKeysWritten);
        Assert.Equal((2L, new DateTimeOffset(T.AddDays(1))), (await OnlineAsync(1))[1]);
    }

    [Fact]
    public async Task Running_the_same_job_twice_leaves_the_same_values()
    {
        await PutAsync(new CustomerStatsRow { customer_id = 1, event_timestamp = T, purchases = 5 },
            new CustomerStatsRow { customer_id = 2, event_timestamp = T, purchases = 6 });
        var window = new TimeWindow(T, T);
        await RunAsync(View(), window);
        var before = await OnlineAsync(1, 2);
        await RunAsync(View(), window);
        Assert.Equal(before, await OnlineAsync(1, 2));
    }

    [Fact]
    public async Task Required_columns_read_exactly_every_time()
    {
        // Regression: required (non-nullable) Parquet columns once came back as null now and then.
        var view = View(("is_active", FeatureValueType.Bool)) with
        { Source = new ViewSource("flags", SourceKind.Batch, "sources/default/flags.parquet", "event_timestamp", null) };
        for (var run = 0; run < 200; run++)
        {
            var data = await SourceData.ToParquetAsync(new CustomerFlagsRow[]
            {
                new() { customer_id = run, event_timestamp = T.AddMinutes(-run % 7), is_active = false },
                new() { customer_id = run + 1000, event_timestamp = T.AddSeconds(-run), is_active = true },
            });
            await _objects.PutAsync("sources/default/flags.parquet", new MemoryStream(data), TestContext.Current.CancellationToken);
            LeaveGarbageInSharedPools(run);
            var outcome = await RunAsync(view, new TimeWindow(T.AddDays(-1), T));
            Assert.True(outcome.RowsInWindow == 2, $"run {run}: {outcome.RowsInWindow} of 2 rows read as in the window");
        }
    }

    /// <summary>A busy service hands back pooled buffers full of old data; so does this.</summary>
    private static void LeaveGarbageInSharedPools(int seed)
    {
        var random = new Random(seed);
        foreach (var size in (int[])[16, 64, 256, 1024, 4096])
        {
            var ints = System.Buffers.ArrayPool<int>.Shared.Rent(size);
            for (var i = 0; i < ints.Length; i++) ints[i] = random.Next(-1, 3);
            System.Buffers.ArrayPool<int>.Shared.Return(ints);
            var bytes = System.Buffers.ArrayPool<byte>.Shared.Rent(size);
            random.NextBytes(bytes);
            System.Buffers.ArrayPool<byte>.Shared.Return(bytes);
        }
    }

    [Fact]
    public async Task Null_features_are_kept_as_null()
    {
        await PutAsync(new CustomerStatsRow { customer_id = 1, event_timestamp = T, purchases = null, segment = null });
        await RunAsync(View(), new TimeWindow(T, T));
        Assert.Null((await OnlineAsync(1))[1].Purchases);
    }

    [Fact]
    public async Task A_column_of_the_wrong_type_fails_the_job_and_names_the_column()
    {
        await PutAsync(new CustomerStatsRow { customer_id = 1, event_timestamp = T, purchases = 1, segment = "gold" });
        var error = await Assert.ThrowsAsync<MaterializationException>(() =>
            RunAsync(View(("segment", FeatureValueType.Int64)), new TimeWindow(T, T)));
        Assert.Contains("'segment'", error.Message);
        Assert.Empty(await OnlineAsync(1));
    }

    [Fact]
    public async Task A_transformation_reads_its_source_and_no_other_file()
    {
        await PutAsync(new CustomerStatsRow { customer_id = 1, event_timestamp = T, purchases = 1, segment = "gold" });
        using var elsewhere = new ScratchFile("purchases\n99\n");
        var view = View() with
        {
            TransformationSql = $"SELECT customer_id, event_timestamp, created, " +
                $"(SELECT max(purchases) FROM read_csv('{elsewhere.Path}')) AS purchases, segment FROM source",
        };
        var error = await Assert.ThrowsAsync<MaterializationException>(() => RunAsync(view, new TimeWindow(T, T)));
        // Refused before DuckDB sees it (SqlFunctionPolicy); the sandbox would refuse the read too (DuckDbSandboxTests).
        Assert.Contains("table function read_csv is not allowed", error.Message);
        Assert.Empty(await OnlineAsync(1));
    }

    [Fact]
    public async Task A_transformation_running_past_its_time_limit_is_stopped_and_fails_the_run()
    {
        await PutAsync(new CustomerStatsRow { customer_id = 1, event_timestamp = T, purchases = 1, segment = "gold" });
        var scratch = Path.Combine(Path.GetTempPath(), $"fs-mat-{Guid.NewGuid():N}");
        var options = new WorkerOptions
        {
            WorkDirectory = Path.Combine(scratch, "work"), CacheDirectory = Path.Combine(scratch, "cache"), Threads = 2,
            QueryTimeLimit = TimeSpan.FromMilliseconds(300),
        };
        var materializer = new FeatureViewMaterializer(new SourceCache(_objects, options), new OnlineExport(_online, options),
            new OfflineExport(_objects, options), options);
        // A range over data: its size is unknown to the apply-time check, so only the time limit stops it.
        var view = View() with
        {
            TransformationSql = "SELECT customer_id, event_timestamp, created, " +
                "(SELECT count(DISTINCT hash(x)) FROM range(purchases * 100000000000) t(x)) AS purchases, segment FROM source",
        };
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var error = await Assert.ThrowsAsync<MaterializationException>(() =>
            materializer.RunAsync(view, new TimeWindow(T, T), new RunTarget(Guid.NewGuid()), null, TestContext.Current.CancellationToken));
        TestContext.Current.TestOutputHelper?.WriteLine($"stopped after {clock.ElapsedMilliseconds} ms: {error.Message}");
        Assert.Contains("longer than its limit of 300 ms", error.Message);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed}");
        Assert.Empty(await OnlineAsync(1));
    }

    [Fact]
    public async Task A_missing_column_fails_the_job_and_names_it()
    {
        await PutAsync(new CustomerStatsRow { customer_id = 1, event_timestamp = T, purchases = 1 });
        var error = await Assert.ThrowsAsync<MaterializationException>(() =>
            RunAsync(View(("lifetime_value", FeatureValueType.Float64)), new TimeWindow(T, T)));
        Assert.Contains("no column 'lifetime_value'", error.Message);
    }

    [Fact]
    public async Task A_missing_source_fails_the_job_and_names_it()
    {
        var error = await Assert.ThrowsAsync<MaterializationException>(() =>
            RunAsync(View(), new TimeWindow(T, T)));
        Assert.Contains("sources/default/stats.parquet", error.Message);
    }

    [Fact]
    public async Task A_source_outside_its_projects_prefix_fails_the_job_before_reading_it()
    {
        // Without a catalog no share can be confirmed: another project's object, though present, is not read.
        var rows = new CustomerStatsRow[] { new() { customer_id = 1, event_timestamp = T, purchases = 1 } };
        await _objects.PutAsync("sources/other/stats.parquet", new MemoryStream(await SourceData.ToParquetAsync(rows)),
            TestContext.Current.CancellationToken);
        var view = View() with { Source = View().Source with { Path = "sources/other/stats.parquet" } };
        var error = await Assert.ThrowsAsync<MaterializationException>(() => RunAsync(view, new TimeWindow(T, T)));
        Assert.Contains("'sources/other/stats.parquet'", error.Message);
        Assert.Contains("project 'default'", error.Message);
        Assert.Empty(await OnlineAsync(1));
    }

    [Fact]
    public async Task A_source_that_is_not_parquet_fails_the_job()
    {
        await _objects.PutAsync("sources/default/stats.parquet", new MemoryStream("id,ts\n1,2024"u8.ToArray()),
            TestContext.Current.CancellationToken);
        var error = await Assert.ThrowsAsync<MaterializationException>(() =>
            RunAsync(View(), new TimeWindow(T, T)));
        Assert.Contains("not a readable Parquet file", error.Message);
    }
}
