using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using FeatureStore.Api;
using FeatureStore.Domain;
using FeatureStore.Storage;
using FeatureStore.Storage.Online;
using StackExchange.Redis;

namespace FeatureStore.IntegrationTests.Storage;

/// <summary>
/// A master of the cluster crashes while readers read through <see cref="RedisOnlineStore"/>: every read answers the value
/// written or fails as a Redis outage (what the services answer with a 503 naming the online store), and soon after the
/// master's replica has taken its slots over, every entity reads back as written. The class has a cluster of its own
/// (a class fixture), so the kill leaves the contract's cluster alone.
/// </summary>
public sealed class RedisClusterFailoverTests(RedisClusterFixture fixture) : IClassFixture<RedisClusterFixture>
{
    private const int Entities = 300, Readers = 4;
    private const string View = "stats";
    private static readonly string[] Names = ["purchases"];
    private static readonly DateTimeOffset T = new(2024, 5, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly IDependencyFailure[] Outages = [new RedisFailure()];
    // The node timeout is 1 s: the killed master is marked failing within about 2 s and its replica elected soon after;
    // the bounds leave room for a busy machine, the figures printed say what it took.
    private static readonly TimeSpan ToPromotion = TimeSpan.FromSeconds(30), ToRecovery = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan ReadTimeout = TimeSpan.FromSeconds(15), AfterAFailure = TimeSpan.FromMilliseconds(20);

    private readonly string _project = $"p_{Guid.NewGuid():N}";
    private readonly EntityKey[] _keys =
        Enumerable.Range(0, Entities).Select(i => EntityKey.Single("customer_id", i.ToString(CultureInfo.InvariantCulture))).ToArray();

    private static long Value(int entity) => 1_000 + 7L * entity;

    private sealed record Failure(TimeSpan Started, TimeSpan Took, Exception Exception);

    /// <summary>What the readers saw: reads are counted, failures and wrong answers kept with when their read began.</summary>
    private sealed class ReadLog
    {
        private long _reads;
        public long Reads => Interlocked.Read(ref _reads);
        public ConcurrentQueue<(TimeSpan Started, TimeSpan Took)> Successes { get; } = new();
        public ConcurrentQueue<Failure> Outages { get; } = new();
        public ConcurrentQueue<Failure> Unexpected { get; } = new();
        public ConcurrentQueue<string> Wrong { get; } = new();
        public void Counted() => Interlocked.Increment(ref _reads);
    }

    [Fact]
    public async Task Reads_fail_as_an_outage_while_a_master_is_down_and_all_succeed_soon_after_its_replica_takes_over()
    {
        var ct = TestContext.Current.CancellationToken;
        var store = new RedisOnlineStore(fixture.Redis);
        var topology = fixture.Redis.GetServers().First(s => s.IsConnected).ClusterConfiguration!;
        Assert.Equal(3, _keys.Select(k => topology.GetBySlot(RedisOnlineStore.KeyOf(_project, k))!.EndPoint).Distinct().Count());
        await store.WriteAsync(_project, View, Names, _keys.Select((k, i) => new OnlineRow(k, new RowTime(T), [Value(i)])),
            TimeSpan.Zero, ct);
        Assert.True(await EveryEntityReadsBackAsync(store, ct));
        // The replica of the master about to die must hold what was written, or the values would be gone after the failover.
        await fixture.Cluster.WaitForReplicasAsync();

        var log = new ReadLog();
        var clock = Stopwatch.StartNew();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var next = -1;
        var readers = Enumerable.Range(0, Readers).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var entity = (int)((uint)Interlocked.Increment(ref next) % Entities);
                if (await ReadOneAsync(store, entity, clock, log) is false) await Task.Delay(AfterAFailure, CancellationToken.None);
            }
        }, CancellationToken.None)).ToArray();

        int killed;
        TimeSpan killedAt, promotedAt, recoveredAt;
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(1), ct);   // reads while the cluster is whole: all must succeed
            killedAt = clock.Elapsed;
            killed = await fixture.Cluster.KillAMasterAsync();
            while (!await fixture.Cluster.IsHealthyAsync())
            {
                Assert.True(clock.Elapsed - killedAt < ToPromotion,
                    $"no replica took over from the master on port {killed} in {ToPromotion}");
                await Task.Delay(100, ct);
            }
            promotedAt = clock.Elapsed;
            while (!await EveryEntityReadsBackAsync(store, ct))
            {
                Assert.True(clock.Elapsed - promotedAt < ToRecovery,
                    $"reads did not all succeed again within {ToRecovery} of the promotion");
                await Task.Delay(100, ct);
            }
            recoveredAt = clock.Elapsed;
            await Task.Delay(TimeSpan.FromSeconds(1), ct);   // and they keep succeeding
        }
        finally
        {
            await stop.CancelAsync();
            await Task.WhenAll(readers);
        }

        var outages = log.Outages.ToList();
        var output = TestContext.Current.TestOutputHelper;
        output?.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"killed the master on port {killed}; {log.Reads} reads by {Readers} readers of {Entities} entities, {outages.Count} failed " +
            $"as an outage, {log.Unexpected.Count} otherwise, {log.Wrong.Count} answered a wrong value"));
        output?.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"kill to cluster ok: {(promotedAt - killedAt).TotalSeconds:F2} s; kill to every entity read back: " +
            $"{(recoveredAt - killedAt).TotalSeconds:F2} s"));
        var whileDown = log.Successes.Where(r => r.Started >= killedAt && r.Started < promotedAt).ToList();
        output?.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"between kill and promotion {whileDown.Count} reads succeeded, the longest in " +
            $"{(whileDown.Count > 0 ? whileDown.Max(r => r.Took).TotalSeconds : 0):F2} s; longest read overall " +
            $"{log.Successes.Max(r => r.Took).TotalSeconds:F2} s"));
        if (outages.Count > 0)
        {
            var kinds = string.Join(", ", outages.GroupBy(f => Kind(f.Exception)).Select(g => $"{g.Key} {g.Count()}"));
            output?.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"failed reads began {(outages.Min(f => f.Started) - killedAt).TotalSeconds:F2} s to " +
                $"{(outages.Max(f => f.Started) - killedAt).TotalSeconds:F2} s after the kill, the longest failed after " +
                $"{outages.Max(f => f.Took).TotalSeconds:F2} s; by kind: {kinds}"));
        }

        Assert.Empty(log.Wrong);
        Assert.Empty(log.Unexpected.Select(f => f.Exception.ToString()));
        // Reads of the dead master's slots wait for the multiplexer's attempt to reconnect to it (about 3 s, even with
        // BacklogPolicy.FailFast) and then fail UnableToConnect; the others fail CLUSTERDOWN once the cluster has marked
        // the master failing, until its replica is elected. Either is a 503 naming the online store in the services.
        Assert.NotEmpty(outages);
        Assert.All(outages, f => Assert.InRange(f.Started, killedAt, recoveredAt));
    }

    /// <summary>One read of one entity: true when it answered the value written, false when Redis was out, null otherwise.</summary>
    private async Task<bool?> ReadOneAsync(RedisOnlineStore store, int entity, Stopwatch clock, ReadLog log)
    {
        var started = clock.Elapsed;
        log.Counted();
        try
        {
            // A read that never ends would hang the test; the multiplexer's own timeouts should end it long before.
            using var timeout = new CancellationTokenSource(ReadTimeout);
            var entry = (await store.ReadAsync(_project, [_keys[entity]], [View], timeout.Token))[0];
            if (Purchases(entry) == Value(entity))
            {
                log.Successes.Enqueue((started, clock.Elapsed - started));
                return true;
            }
            var found = Purchases(entry)?.ToString(CultureInfo.InvariantCulture) ?? "nothing";
            log.Wrong.Enqueue($"entity {entity}: {found}, not {Value(entity)}");
            return null;
        }
        catch (Exception e) when (DependencyFailures.Recognise(e, Outages) is not null)
        {
            log.Outages.Enqueue(new Failure(started, clock.Elapsed - started, e));
            return false;
        }
        catch (Exception e)
        {
            log.Unexpected.Enqueue(new Failure(started, clock.Elapsed - started, e));
            return null;
        }
    }

    /// <summary>Whether a read of each entity, one after the other, answers the value written (any failure: false).</summary>
    private async Task<bool> EveryEntityReadsBackAsync(RedisOnlineStore store, CancellationToken cancellationToken)
    {
        for (var entity = 0; entity < Entities; entity++)
        {
            try
            {
                var entry = (await store.ReadAsync(_project, [_keys[entity]], [View], cancellationToken))[0];
                Assert.Equal(Value(entity), Purchases(entry));
            }
            catch (Exception e) when (DependencyFailures.Recognise(e, Outages) is not null)
            {
                return false;
            }
        }
        return true;
    }

    private static long? Purchases(OnlineEntry? entry) =>
        entry is not null && entry.TryGetValue("purchases", out var v) ? v.GetInt64() : null;

    /// <summary>A failure's type, and what failed: the first word of Redis's error (CLUSTERDOWN...) or the connection's failure.</summary>
    private static string Kind(Exception exception) => exception switch
    {
        RedisServerException server => $"{server.GetType().Name} {server.Message.Split(' ')[0]}",
        RedisConnectionException connection => $"{connection.GetType().Name} {connection.FailureType}",
        _ => exception.GetType().Name,
    };
}
