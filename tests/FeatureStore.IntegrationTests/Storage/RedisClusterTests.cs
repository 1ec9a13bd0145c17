using FeatureStore.Storage.Online;
using StackExchange.Redis;

namespace FeatureStore.IntegrationTests.Storage;

/// <summary>A three-master Redis Cluster (each master with a replica) on loopback, shared by one test class.</summary>
public sealed class RedisClusterFixture : IAsyncLifetime
{
    public LocalRedisCluster Cluster { get; private set; } = null!;
    public IConnectionMultiplexer Redis { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        Cluster = await LocalRedisCluster.StartAsync();
        Redis = await ConnectionMultiplexer.ConnectAsync(Cluster.ConnectionString);
    }

    public async ValueTask DisposeAsync()
    {
        await Redis.DisposeAsync();
        await Cluster.DisposeAsync();
    }
}

/// <summary>The online store's whole contract on a real Redis Cluster: each script call touches keys of one slot only.</summary>
public sealed class RedisClusterOnlineStoreTests(RedisClusterFixture fixture) : OnlineStoreContract, IClassFixture<RedisClusterFixture>
{
    protected override Task<IOnlineStore> CreateStoreAsync() => Task.FromResult<IOnlineStore>(new RedisOnlineStore(fixture.Redis));
}
