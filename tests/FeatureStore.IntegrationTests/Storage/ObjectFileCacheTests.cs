using FeatureStore.Storage.Objects;

namespace FeatureStore.IntegrationTests.Storage;

/// <summary>The local file cache over the S3 server: requests for the same object at once share one download.</summary>
public sealed class ObjectFileCacheTests
{
    [Fact]
    public async Task Callers_asking_for_the_same_object_at_once_share_one_download_and_a_missing_one_fails_them_all()
    {
        await TestInfrastructure.RequireAsync();
        var ct = TestContext.Current.CancellationToken;
        var store = new CountingStore(new S3ObjectStore(S3ObjectStore.CreateClient(TestInfrastructure.Minio),
            $"fs-cache-{Guid.NewGuid():N}"[..30]));
        var data = new byte[4 << 20];
        new Random(5).NextBytes(data);
        await store.PutAsync("offline/a.parquet", new MemoryStream(data), ct);
        var cache = new ObjectFileCache(store, Directory.CreateTempSubdirectory("fs-cache-").FullName, 1L << 30);

        var paths = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() =>
            cache.LocalFileAsync("offline/a.parquet", ct, contentHash: "hash-a"), ct)));

        Assert.Single(paths.Distinct());
        Assert.Equal(data, await File.ReadAllBytesAsync(paths[0], ct));
        Assert.Equal(1, store.Downloads);
        Assert.Equal(paths[0], await cache.LocalFileAsync("offline/a.parquet", ct, contentHash: "hash-a")); // kept: no new download
        Assert.Equal(1, store.Downloads);

        var missing = Enumerable.Range(0, 4).Select(_ => cache.LocalFileAsync("offline/none.parquet", ct, contentHash: "hash-b")).ToList();
        foreach (var attempt in missing) await Assert.ThrowsAsync<StoredObjectNotFoundException>(() => attempt);
        // A failed download is not remembered: the object, once there, is fetched.
        await store.PutAsync("offline/none.parquet", new MemoryStream(data), ct);
        Assert.Equal(data, await File.ReadAllBytesAsync(await cache.LocalFileAsync("offline/none.parquet", ct, contentHash: "hash-b"), ct));
    }

    /// <summary>The real store, counting the downloads asked of it.</summary>
    private sealed class CountingStore(IObjectStore inner) : IObjectStore
    {
        private int _downloads;
        public int Downloads => _downloads;

        public Task DownloadAsync(string key, string path, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _downloads);
            return inner.DownloadAsync(key, path, cancellationToken);
        }

        public Task PutAsync(string key, Stream content, CancellationToken cancellationToken) =>
            inner.PutAsync(key, content, cancellationToken);
        public Task<Stream> OpenReadAsync(string key, CancellationToken cancellationToken) => inner.OpenReadAsync(key, cancellationToken);
        public Task<ObjectInfo?> StatAsync(string key, CancellationToken cancellationToken) => inner.StatAsync(key, cancellationToken);
        public string? LocalPath(string key) => inner.LocalPath(key);
        public Task DeleteAsync(string key, CancellationToken cancellationToken) => inner.DeleteAsync(key, cancellationToken);
        public Task<IReadOnlyList<string>> ListKeysAsync(string prefix, CancellationToken cancellationToken) =>
            inner.ListKeysAsync(prefix, cancellationToken);
        public Task CheckAsync(CancellationToken cancellationToken) => inner.CheckAsync(cancellationToken);
    }
}
