using System.Net;
using System.Text;
using DuckDB.NET.Data;
using FeatureStore.Client;
using FeatureStore.Contracts;
using FeatureStore.Domain;
using FeatureStore.Storage.Online;
using FeatureStore.Testing;
using StackExchange.Redis;

namespace FeatureStore.Benchmarks;

/// <summary>
/// Online serving through the real feature-api (the standalone host as a child process, its online store on
/// Redis): 1 entity × F features and 100 entities × F features, at a fixed rate (p50 / p99 from each request's
/// scheduled start) and at peak; beside raw Redis reads of the same keys (HMGET of the view's field, one per
/// entity, pipelined) driven the same way from the same process; and the price of authentication: the same reads with an
/// API key (verified once by the registry, then cached) against a second feature-api under <c>Auth:Mode=open</c>; and the price
/// of feature logging: the same features read through a feature service that logs every read (sample rate 1) and one that logs
/// one read in ten (0.1), beside one that logs none.
/// </summary>
public static class ServingBenchmark
{
    /// <summary>A pause after a logged run: its last sampled reads are written before the next run starts.</summary>
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(3);

    private static string Redis => Environment.GetEnvironmentVariable("ConnectionStrings__redis") ?? "127.0.0.1:6390";

    public static async Task RunAsync(BenchmarkOptions options)
    {
        var features = options.Features;
        var entities = Math.Max(1000, options.Entities > 0 ? options.Entities : 100_000);
        var environment = new Dictionary<string, string>
        {
            ["ConnectionStrings__redis"] = Redis,
            // Peak load is the subject, not the per-key rate limiter's default (5,000/s): its bucket is still taken per request.
            ["FeatureStore__Auth__RateLimit__RequestsPerSecond"] = "10000000", ["FeatureStore__Auth__RateLimit__Burst"] = "10000000",
            // Logs flushed every 2 s, not 30: what a logged run sampled is written within it and the settling pause after it, not
            // during the next run (which would then pay for it).
            ["FeatureStore__FeatureLogging__FlushInterval"] = "00:00:02",
        };
        // The registry (and the rest) in the standalone host; feature-api on its own, as deployed, reading definitions from it.
        await using var registry = await ServiceHost.StandaloneAsync(environment);
        environment["services__registry__http__0"] = registry.BaseAddress.ToString();
        environment["ConnectionStrings__messaging"] = Environment.GetEnvironmentVariable("ConnectionStrings__messaging")
            ?? throw new InvalidOperationException("ConnectionStrings__messaging is not set: eval \"$(eng/infra.sh env)\" first");
        // Feast's gRPC API on its own h2c port of the measured feature-api.
        var grpcPort = LoopbackPorts.Free();
        await using var host = await ServiceHost.StartAsync("feature-api", "FeatureStore.FeatureApi",
            new Dictionary<string, string>(environment) { ["FeatureStore__Grpc__Port"] = $"{grpcPort}" });
        await using var open = await ServiceHost.StartAsync("feature-api", "FeatureStore.FeatureApi",
            new Dictionary<string, string>(environment) { ["FeatureStore__Auth__Mode"] = "open" });
        await using var redis = await ConnectionMultiplexer.ConnectAsync(Redis);
        var project = $"bench_{Guid.NewGuid():N}"[..14];
        using var http = new HttpClient(
            new SocketsHttpHandler { MaxConnectionsPerServer = 256, PooledConnectionLifetime = TimeSpan.FromMinutes(10) })
        { BaseAddress = host.BaseAddress };
        using var openHttp = new HttpClient(
            new SocketsHttpHandler { MaxConnectionsPerServer = 256, PooledConnectionLifetime = TimeSpan.FromMinutes(10) })
        { BaseAddress = open.BaseAddress };
        using (var store = registry.Store())
        {
            await ApplyAsync(store, registry.DataDirectory, project, features);
            // A reader's key as a model would hold it: the registry verifies it once, feature-api caches the verdict.
            var reader = await store.CreateApiKeyAsync(new CreateApiKeyRequest
            { Name = "serving bench", Owner = "bench", Projects = [project], Roles = ["reader"] });
            http.DefaultRequestHeaders.Add(TestCredentials.Header, reader.Secret);
        }
        using var grpc = new FeastGrpcLoad(new Uri($"http://127.0.0.1:{grpcPort}"),
            http.DefaultRequestHeaders.GetValues(TestCredentials.Header).Single(), project, features, entities);

        var names = Enumerable.Range(0, features).Select(f => $"f{f}").ToList();
        var time = new RowTime(DateTimeOffset.UtcNow);
        await new RedisOnlineStore(redis).WriteAsync(project, "serving", names,
            Enumerable.Range(0, entities).Select(
                e => new OnlineRow(EntityKey.Single("customer_id", $"{e}"), time, names.Select((_, f) => (object?)(e + f * 0.5)).ToList())),
            TimeSpan.Zero, CancellationToken.None);
        Console.WriteLine($"serving: feature-api (its own process, Redis {Redis}; registry in a standalone host), " +
            $"{entities:N0} entities x {features} float64 features, {Environment.ProcessorCount} cores");

        var refs = string.Join(",", names.Select(n => $"\"serving:{n}\""));
        var random = new Random(11);
        // Bodies are made before the clock starts, so the driver spends its time sending, not formatting.
        byte[][] Bodies(int batch, string features) => Enumerable.Range(0, 1024).Select(_ =>
        {
            var ids = string.Join(",", Enumerable.Range(0, batch).Select(_ => random.Next(entities)));
            return Encoding.UTF8.GetBytes($$"""{"project":"{{project}}","entities":{"customer_id":[{{ids}}]},{{features}}}""");
        }).ToArray();
        var bodies = new Dictionary<(int, string), byte[][]>();
        foreach (var batch in new[] { 1, 100 })
        {
            bodies[(batch, "refs")] = Bodies(batch, $"\"features\":[{refs}]");
            foreach (var service in new[] { "unlogged", "logged", "sampled" })
                bodies[(batch, service)] = Bodies(batch, $"\"featureService\":\"{service}\"");
        }
        var sink = new byte[64 * 1024];
        Func<int, Task> Api(int batch) => Read(http, batch, "refs");
        Func<int, Task> Open(int batch) => Read(openHttp, batch, "refs");
        Func<int, Task> Read(HttpClient client, int batch, string features) => async i =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "api/v1/online-features")
            { Content = new ByteArrayContent(bodies[(batch, features)][i % 1024]) };
            request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
            if (response.StatusCode != HttpStatusCode.OK) throw new InvalidOperationException($"{(int)response.StatusCode}");
            await using var stream = await response.Content.ReadAsStreamAsync();
            while (await stream.ReadAsync(sink) > 0) { }
        };
        Func<int, Task> Grpc(int batch) => i => grpc.ReadAsync(batch, i);
        var raw = redis.GetDatabase();
        RedisValue[] field = ["serving"];
        Func<int, Task> Raw(int batch) => _ => Task.WhenAll(Enumerable.Range(0, batch)
            .Select(_ =>
                raw.HashGetAsync(RedisOnlineStore.KeyOf(project, EntityKey.Single("customer_id", $"{random.Next(entities)}")), field)));

        Func<int, Task> Alive = async _ =>
        {
            using var response = await http.GetAsync("alive");
            await response.Content.ReadAsByteArrayAsync();
        };

        // Warm both paths (JIT tiers, connections, definition cache) before anything is measured: steady state is the subject.
        await LoadDriver.FixedRateAsync(1000, 5, Api(1));
        await LoadDriver.FixedRateAsync(1000, 5, Open(1));
        await LoadDriver.FixedRateAsync(1000, 5, Grpc(1));
        await LoadDriver.FixedRateAsync(100, 2, Api(100));
        await LoadDriver.FixedRateAsync(500, 1, Raw(1));
        await LoadDriver.FixedRateAsync(1000, 3, Read(http, 1, "unlogged"));
        await LoadDriver.FixedRateAsync(1000, 3, Read(http, 1, "logged"));
        await LoadDriver.FixedRateAsync(1000, 3, Read(http, 1, "sampled"));
        await Task.Delay(Settle);

        using var metrics = new HttpClient { BaseAddress = host.BaseAddress };
        // A run on the measured feature-api, with what its collector did meanwhile (the tail beside the pauses).
        async Task<(LoadDriver.RateResult Result, string Collections)> Measured(int rate, Func<int, Task> call)
        {
            var (before, started) = (await RuntimeCounters.ReadAsync(metrics), System.Diagnostics.Stopwatch.StartNew());
            var result = await LoadDriver.FixedRateAsync(rate, options.Seconds, call);
            return (result, (await RuntimeCounters.ReadAfterAsync(metrics, started.Elapsed)).CollectionsSince(before));
        }

        Console.WriteLine();
        Console.WriteLine("fixed rate (open loop)                     rate/s   requests    p50 ms    p99 ms    max ms  failed" +
            "  bench paused  feature-api GCs 0/1/2");
        foreach (var (label, batch, rate) in new[] { ("1 entity", 1, 1000), ("100 entities", 100, 100) })
        {
            var api = await Measured(rate, Api(batch));
            var baseline = await LoadDriver.FixedRateAsync(rate, options.Seconds, Raw(batch));
            var unauthenticated = await LoadDriver.FixedRateAsync(rate, options.Seconds, Open(batch));
            var overGrpc = await Measured(rate, Grpc(batch));
            Print($"  feature-api, {label} x {features}", api);
            Print($"  same over gRPC (Feast's API)", overGrpc);
            Print($"  same, Auth:Mode=open (no key)", unauthenticated);
            Print($"  raw Redis HMGET, {label}", baseline);
            var unlogged = await Measured(rate, Read(http, batch, "unlogged"));
            var logged = await Measured(rate, Read(http, batch, "logged"));
            await Task.Delay(Settle);
            var sampled = await Measured(rate, Read(http, batch, "sampled"));
            await Task.Delay(Settle);
            Print($"  feature service, logging off", unlogged);
            Print($"  same service, logging every read", logged);
            Print($"  same service, logging 1 read in 10", sampled);
        }
        Print("  HTTP floor: GET /alive", await Measured(1000, Alive));
        Console.WriteLine();
        Console.WriteLine("peak (closed loop, 32 clients)             requests/s   entity rows/s   vs raw   feature-api CPU/request");
        // The measured feature-api's own CPU time per request at peak (user and system, all its threads): steadier than the rate on
        // two cores it shares with the load generator and Redis, and what a leaner path lowers.
        async Task<(double Rate, double CpuMicros)> OnHost(Func<int, Task> call)
        {
            var (cpu, clock) = (ProcStat.CpuSeconds(host.ProcessId), System.Diagnostics.Stopwatch.StartNew());
            var rate = await LoadDriver.PeakAsync(32, options.Seconds, call);
            return (rate, (ProcStat.CpuSeconds(host.ProcessId) - cpu) / (rate * clock.Elapsed.TotalSeconds) * 1e6);
        }
        foreach (var (label, batch) in new[] { ("1 entity", 1), ("100 entities", 100) })
        {
            var api = await OnHost(Api(batch));
            var unauthenticated = await LoadDriver.PeakAsync(32, options.Seconds, Open(batch));
            var baseline = await LoadDriver.PeakAsync(32, options.Seconds, Raw(batch));
            var overGrpc = await OnHost(Grpc(batch));
            var apiLabel = $"  feature-api, {label} x {features,-12}";
            void Line(string text, double rate, double? cpuMicros = null, bool ratio = false) =>
                Console.WriteLine($"{text.PadRight(apiLabel.Length)}{rate,12:N0}{rate * batch,16:N0}" +
                    $"{(ratio ? $"{rate / baseline:F2}x" : ""),9}{(cpuMicros is { } us ? $"{us:N0} us" : ""),26}");
            Line(apiLabel, api.Rate, api.CpuMicros, ratio: true);
            Line("  same over gRPC (Feast's API)", overGrpc.Rate, overGrpc.CpuMicros, ratio: true);
            Line("  same, Auth:Mode=open", unauthenticated);
            Line($"  raw Redis HMGET, {label}", baseline);
            var unlogged = await LoadDriver.PeakAsync(32, options.Seconds, Read(http, batch, "unlogged"));
            var logged = await LoadDriver.PeakAsync(32, options.Seconds, Read(http, batch, "logged"));
            await Task.Delay(Settle);
            var sampled = await LoadDriver.PeakAsync(32, options.Seconds, Read(http, batch, "sampled"));
            await Task.Delay(Settle);
            Line("  feature service, logging off", unlogged);
            Line("  same, logging every read", logged);
            Line("  same, logging 1 read in 10", sampled);
            if (batch != 1) continue;
            // What no read can beat here: the same clients' peak through the same host and middleware, without a read.
            var alive = await OnHost(Alive);
            var info = await OnHost(grpc.InfoAsync);
            Line("  HTTP floor: GET /alive", alive.Rate, alive.CpuMicros, ratio: true);
            Line("  gRPC floor: GetFeastServingInfo", info.Rate, info.CpuMicros, ratio: true);
        }
        Console.WriteLine();
        Console.WriteLine("allocated in feature-api per request (its runtime's count; least of 3 rounds of 1,000 sequential requests)");
        (string, Func<int, Task>)[] allocating =
        [
            ("JSON, 1 entity", Api(1)), ("gRPC, 1 entity", Grpc(1)), ("JSON, 100 entities", Api(100)), ("gRPC, 100 entities", Grpc(100)),
            ("HTTP floor: GET /alive", Alive), ("gRPC floor: GetFeastServingInfo", grpc.InfoAsync),
        ];
        foreach (var (label, call) in allocating)
            Console.WriteLine($"  {label,-34}{await ServedAllocations.PerRequestAsync(metrics, 3, 1000, call),12:N0} bytes");
        Console.WriteLine($"\nfeature-api peak RSS {host.PeakResidentBytes() / 1e6:N0} MB");
    }

    private static void Print(string label, LoadDriver.RateResult result, string collections = "") =>
        Console.WriteLine($"{label,-40}{result.Rate,9:N0}{result.Requests,11:N0}{result.P50,10:F3}{result.P99,10:F3}" +
            $"{result.Max,10:F1}{result.Failures,8}{result.ClientPausedMs,10:F0} ms  {collections}");

    private static void Print(string label, (LoadDriver.RateResult Result, string Collections) measured) =>
        Print(label, measured.Result, measured.Collections);

    /// <summary>A repository with one view of <paramref name="features"/> float64 features over a one-row source.</summary>
    private static async Task ApplyAsync(FeatureStoreClient store, string dataDirectory, string project, int features)
    {
        var source = Path.Combine(dataDirectory, "objects", "sources", project, "serving.parquet");
        Directory.CreateDirectory(Path.GetDirectoryName(source)!);
        using (var duck = new DuckDBConnection("DataSource=:memory:"))
        {
            duck.Open();
            using var command = duck.CreateCommand();
            command.CommandText = $"COPY (SELECT 1::BIGINT AS customer_id, now()::TIMESTAMPTZ AS event_timestamp, " +
                                  $"{string.Join(", ", Enumerable.Range(0, features).Select(f => $"1.0::DOUBLE AS f{f}"))}) TO " +
                                  $"'{source}' (FORMAT PARQUET)";
            command.ExecuteNonQuery();
        }
        var schema = string.Join(", ", Enumerable.Range(0, features).Select(f => $"{{name: f{f}, type: float64}}"));
        var yaml = $$"""
            project: {{project}}
            entities: [{name: customer, joinKeys: [{name: customer_id, type: int64}]}]
            sources: [{name: serving, path: sources/{{project}}/serving.parquet, timestampField: event_timestamp}]
            featureViews: [{name: serving, entities: [customer], source: serving, ttl: 0, schema: [{{schema}}]}]
            featureServices:
              - {name: unlogged, features: [serving]}
              - name: logged
                features: [serving]
                logging: {sampleRate: 1}
              - name: sampled
                features: [serving]
                logging: {sampleRate: 0.1}
            """;
        await store.ApplyAsync(yaml);
    }
}
