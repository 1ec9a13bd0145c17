using System.Security.Cryptography;
using FeatureStore.Storage.Objects;

namespace FeatureStore.IntegrationTests.Storage;

/// <summary>What every object store must do; run against the S3 server and a local folder.</summary>
public abstract class ObjectStoreContract
{
    protected abstract Task<IObjectStore> CreateStoreAsync();

    private static async Task<byte[]> ReadAllAsync(IObjectStore store, string key)
    {
        await using var stream = await store.OpenReadAsync(key, TestContext.Current.CancellationToken);
        Assert.True(stream.CanSeek, "readers need a seekable stream");
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy, TestContext.Current.CancellationToken);
        return copy.ToArray();
    }

    [Fact]
    public async Task Stores_overwrites_and_deletes_objects()
    {
        var store = await CreateStoreAsync();
        var ct = TestContext.Current.CancellationToken;
        await store.PutAsync("sources/a/data.bin", new MemoryStream([1, 2, 3]), ct);
        var info = await store.StatAsync("sources/a/data.bin", ct);
        Assert.Equal(3, info!.Size);
        Assert.Equal([1, 2, 3], await ReadAllAsync(store, "sources/a/data.bin"));

        await store.PutAsync("sources/a/data.bin", new MemoryStream([9]), ct);
        Assert.Equal([9], await ReadAllAsync(store, "sources/a/data.bin"));
        Assert.NotEqual(info.Fingerprint, (await store.StatAsync("sources/a/data.bin", ct))!.Fingerprint);

        await store.DeleteAsync("sources/a/data.bin", ct);
        Assert.Null(await store.StatAsync("sources/a/data.bin", ct));
    }

    [Fact]
    public async Task Lists_the_keys_under_a_prefix_in_key_order()
    {
        var store = await CreateStoreAsync();
        var ct = TestContext.Current.CancellationToken;
        var root = $"listing-{Guid.NewGuid():N}";
        foreach (var key in new[] { "p/b/dataset.json", "p/a/dataset.json", "p/a/data.parquet", "q/c/dataset.json", "px/z" })
            await store.PutAsync($"{root}/{key}", new MemoryStream([1]), ct);
        Assert.Equal([$"{root}/p/a/data.parquet", $"{root}/p/a/dataset.json", $"{root}/p/b/dataset.json"],
            await store.ListKeysAsync($"{root}/p/", ct));
        Assert.Empty(await store.ListKeysAsync($"{root}/nothing/", ct));
    }

    [Fact]
    public async Task A_missing_object_says_which_key()
    {
        var store = await CreateStoreAsync();
        var error = await Assert.ThrowsAsync<StoredObjectNotFoundException>(
            () => store.OpenReadAsync("sources/none.parquet", TestContext.Current.CancellationToken));
        Assert.Equal("sources/none.parquet", error.Key);
    }

    [Fact]
    public async Task Large_objects_and_unseekable_streams_arrive_whole()
    {
        var store = await CreateStoreAsync();
        var data = RandomNumberGenerator.GetBytes(6 * 1024 * 1024);
        await store.PutAsync("sources/big.bin", new ForwardOnlyStream(data), TestContext.Current.CancellationToken);
        Assert.Equal(SHA256.HashData(data), SHA256.HashData(await ReadAllAsync(store, "sources/big.bin")));
    }

    [Theory]
    [InlineData("../escape")]
    [InlineData("/absolute")]
    [InlineData("a//b")]
    public async Task Keys_cannot_leave_the_store(string key)
    {
        var store = await CreateStoreAsync();
        await Assert.ThrowsAsync<ArgumentException>(
            () => store.PutAsync(key, new MemoryStream([1]), TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Downloads_to_a_local_file()
    {
        var store = await CreateStoreAsync();
        var ct = TestContext.Current.CancellationToken;
        await store.PutAsync("sources/d.bin", new MemoryStream([4, 5, 6]), ct);
        var path = Path.Combine(Path.GetTempPath(), $"fs-download-{Guid.NewGuid():N}");
        await store.DownloadAsync("sources/d.bin", path, ct);
        Assert.Equal([4, 5, 6], await File.ReadAllBytesAsync(path, ct));
        await Assert.ThrowsAsync<StoredObjectNotFoundException>(() => store.DownloadAsync("sources/none.bin", path + "x", ct));
    }

    [Fact]
    public async Task Answers_the_health_check()
    {
        var store = await CreateStoreAsync();
        await store.CheckAsync(TestContext.Current.CancellationToken);
    }

    private sealed class ForwardOnlyStream(byte[] data) : MemoryStream(data)
    {
        public override bool CanSeek => false;
    }
}

public sealed class S3ObjectStoreTests : ObjectStoreContract
{
    protected override async Task<IObjectStore> CreateStoreAsync()
    {
        await TestInfrastructure.RequireAsync();
        return new S3ObjectStore(S3ObjectStore.CreateClient(TestInfrastructure.Minio), $"fs-objects-{Guid.NewGuid():N}"[..30]);
    }
}

public sealed class LocalFolderObjectStoreTests : ObjectStoreContract
{
    protected override Task<IObjectStore> CreateStoreAsync() =>
        Task.FromResult<IObjectStore>(new LocalFolderObjectStore(Path.Combine(Path.GetTempPath(), $"fs-objects-{Guid.NewGuid():N}")));
}
