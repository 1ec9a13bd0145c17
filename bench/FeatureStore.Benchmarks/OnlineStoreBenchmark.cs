using System.Diagnostics;
using FeatureStore.Domain;
using FeatureStore.Storage.Online;
using StackExchange.Redis;

namespace FeatureStore.Benchmarks;

/// <summary>
/// The Redis online store against raw Redis doing the same work in the same run: bulk writes (our
/// newer-wins script per key vs plain pipelined HSET of identical payloads) and single-entity reads
/// (our decode + one round trip vs a bare HMGET).
/// </summary>
public static class OnlineStoreBenchmark
{
    public static async Task RunAsync(BenchmarkOptions options)
    {
        var connection = Environment.GetEnvironmentVariable("ConnectionStrings__redis") ?? "127.0.0.1:6390";
        await using var redis = await ConnectionMultiplexer.ConnectAsync(connection);
        var store = new RedisOnlineStore(redis);
        var project = $"bench_{Guid.NewGuid():N}"[..14];
        var names = Enumerable.Range(0, options.Features).Select(i => $"f{i}").ToList();
        var time = new RowTime(DateTimeOffset.UtcNow);
        var rows = Enumerable.Range(0, options.Rows)
            .Select(i => new OnlineRow(EntityKey.Single("customer_id", i.ToString()), time,
                names.Select((_, f) => (object?)(i * 0.5 + f)).ToArray()))
            .ToList();
        Console.WriteLine(
            $"online store on Redis {connection}: {options.Rows:N0} rows x {options.Features} features, {options.Reads:N0} reads");

        // Warm both paths (script load, connection) before timing.
        await store.WriteAsync(project, "warm", names, rows.Take(1000), TimeSpan.Zero, CancellationToken.None);
        var raw = redis.GetDatabase();

        var ours = Stopwatch.StartNew();
        await store.WriteAsync(project, "stats", names, rows, TimeSpan.Zero, CancellationToken.None);
        ours.Stop();

        var payloads = rows.Select(r => (Key: RedisOnlineStore.KeyOf(project + "_raw", r.Key),
            Value: OnlinePayload.Encode(r.Time, names, r.Values))).ToList();
        var baseline = Stopwatch.StartNew();
        var pending = new List<Task>(4096);
        foreach (var (key, value) in payloads)
        {
            pending.Add(raw.HashSetAsync(key, "stats", value));
            if (pending.Count == 4096) { await Task.WhenAll(pending); pending.Clear(); }
        }
        await Task.WhenAll(pending);
        baseline.Stop();

        Console.WriteLine();
        Console.WriteLine("write                                   rows/s        vs raw");
        Console.WriteLine($"  RedisOnlineStore.WriteAsync     {options.Rows / ours.Elapsed.TotalSeconds,12:N0}        " +
            $"{baseline.Elapsed / ours.Elapsed,5:P0}");
        Console.WriteLine($"  raw pipelined HSET (same bytes) {options.Rows / baseline.Elapsed.TotalSeconds,12:N0}   (encode excluded)");

        var keys = rows.Select(r => r.Key).ToList();
        var random = new Random(7);
        var oursLatency = await Latency.MeasureAsync(options.Reads, () =>
            store.ReadAsync(project, [keys[random.Next(keys.Count)]], ["stats"], CancellationToken.None));
        var rawLatency = await Latency.MeasureAsync(options.Reads, () =>
            raw.HashGetAsync(RedisOnlineStore.KeyOf(project, keys[random.Next(keys.Count)]), ["stats"]));
        var batch = Enumerable.Range(0, 100).Select(_ => keys[random.Next(keys.Count)]).ToList();
        var oursBatch = await Latency.MeasureAsync(options.Reads / 10,
            () => store.ReadAsync(project, batch, ["stats"], CancellationToken.None));

        Console.WriteLine();
        Console.WriteLine("read (sequential, one client)           p50 ms    p99 ms");
        Console.WriteLine($"  store, 1 entity x 1 view        {oursLatency.P50,10:F3}{oursLatency.P99,10:F3}");
        Console.WriteLine($"  raw HMGET, same key             {rawLatency.P50,10:F3}{rawLatency.P99,10:F3}");
        Console.WriteLine($"  store, 100 entities x 1 view    {oursBatch.P50,10:F3}{oursBatch.P99,10:F3}");

        foreach (var endpoint in redis.GetEndPoints())
        {
            var server = redis.GetServer(endpoint);
            await foreach (var key in server.KeysAsync(pattern: $"fs:{{{project}*", pageSize: 5000))
                await raw.KeyDeleteAsync(key, CommandFlags.FireAndForget);
        }
    }
}
