using FeatureStore.Storage.Online;
using StackExchange.Redis;

namespace FeatureStore.IntegrationTests.Storage;

/// <summary>
/// A three-master Redis Cluster (each master with a replica) on loopback, and a multiplexer set as the services set theirs
/// (<c>StorageRegistration.AddOnlineStore</c>). xunit makes a class fixture per test class: each class has a cluster of its own.
/// </summary>
public sealed class RedisClusterFixture : IAsyncLifetime
{
    public LocalRedisCluster Cluster { get; private set; } = null!;
    public IConnectionMultiplexer Redis { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        Cluster = await LocalRedisCluster.StartAsync();
        var options = ConfigurationOptions.Parse(Cluster.ConnectionString);
        options.AbortOnConnectFail = false;
        options.BacklogPolicy = BacklogPolicy.FailFast;
        Redis = await ConnectionMultiplexer.ConnectAsync(options);
    }

    public async ValueTask DisposeAsync()
    {
        // Either may be missing when the cluster did not start: that failure is the one to see, not one here.
        if (Redis is not null) await Redis.DisposeAsync();
        if (Cluster is not null) await Cluster.DisposeAsync();
    }
}

/// <summary>The online store's whole contract on a real Redis Cluster: each script call touches keys of one slot only.</summary>
public sealed class RedisClusterOnlineStoreTests(RedisClusterFixture fixture) : OnlineStoreContract, IClassFixture<RedisClusterFixture>
{
    protected override Task<IOnlineStore> CreateStoreAsync() => Task.FromResult<IOnlineStore>(new RedisOnlineStore(fixture.Redis));
}
