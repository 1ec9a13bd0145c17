using System.Data.Common;
using System.Net.Sockets;
using Minio;
using Minio.DataModel.Args;
using Minio.Exceptions;

namespace FeatureStore.Storage.Objects;

/// <summary>
/// Object store on any S3-compatible server (MinIO under Aspire, s3rver in tests) through the Minio SDK.
/// The bucket is created on first use.
/// </summary>
public sealed class S3ObjectStore(IMinioClient client, string bucket) : IObjectStore
{
    private readonly SemaphoreSlim _bucketGate = new(1, 1);
    private volatile bool _bucketReady;

    /// <summary>Parses <c>Endpoint=http://host:port;AccessKey=…;SecretKey=…</c> (docs/architecture.md) into a client.</summary>
    public static IMinioClient CreateClient(string connectionString)
    {
        var parts = new DbConnectionStringBuilder { ConnectionString = connectionString };
        string Part(string name) => parts.TryGetValue(name, out var value) && value is string { Length: > 0 } text
            ? text : throw new FormatException($"the minio connection string has no {name}");
        var endpoint = new Uri(Part("Endpoint"));
        return new MinioClient()
            .WithEndpoint(endpoint.Host, endpoint.Port)
            .WithCredentials(Part("AccessKey"), Part("SecretKey"))
            .WithSSL(endpoint.Scheme == Uri.UriSchemeHttps)
            .Build();
    }

    private async Task EnsureBucketAsync(CancellationToken cancellationToken)
    {
        if (_bucketReady) return;
        await _bucketGate.WaitAsync(cancellationToken);
        try
        {
            if (!_bucketReady && !await client.BucketExistsAsync(new BucketExistsArgs().WithBucket(bucket), cancellationToken))
                await client.MakeBucketAsync(new MakeBucketArgs().WithBucket(bucket), cancellationToken);
            _bucketReady = true;
        }
        finally { _bucketGate.Release(); }
    }

    private async Task PutCoreAsync(string key, Stream content, CancellationToken cancellationToken)
    {
        using var activity = StorageTelemetry.StartObjectStore("s3.put", bucket, key);
        await EnsureBucketAsync(cancellationToken);
        Stream body = content;
        if (!content.CanSeek)
        {
            body = new MemoryStream();
            await content.CopyToAsync(body, cancellationToken);
            body.Position = 0;
        }
        try
        {
            await client.PutObjectAsync(new PutObjectArgs().WithBucket(bucket).WithObject(ObjectKeys.Require(key))
                .WithStreamData(body).WithObjectSize(body.Length - body.Position)
                .WithContentType("application/octet-stream"), cancellationToken);
        }
        finally
        {
            if (!ReferenceEquals(body, content)) await body.DisposeAsync();
        }
    }

    private async Task<Stream> OpenReadCoreAsync(string key, CancellationToken cancellationToken)
    {
        using var activity = StorageTelemetry.StartObjectStore("s3.get", bucket, key);
        await EnsureBucketAsync(cancellationToken);
        // Readers (Parquet) need to seek; the object goes to a temporary file deleted on close.
        var local = new FileStream(Path.Combine(Path.GetTempPath(), $"featurestore-{Guid.NewGuid():N}"), FileMode.CreateNew,
            FileAccess.ReadWrite, FileShare.None, 81920, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
        try
        {
            await client.GetObjectAsync(new GetObjectArgs().WithBucket(bucket).WithObject(ObjectKeys.Require(key))
                .WithCallbackStream((stream, ct) => stream.CopyToAsync(local, ct)), cancellationToken);
            local.Position = 0;
            return local;
        }
        catch (Exception e) when (e is ObjectNotFoundException or BucketNotFoundException)
        {
            await local.DisposeAsync();
            throw new StoredObjectNotFoundException(key);
        }
        catch
        {
            await local.DisposeAsync();
            throw;
        }
    }

    private async Task<ObjectInfo?> StatCoreAsync(string key, CancellationToken cancellationToken)
    {
        await EnsureBucketAsync(cancellationToken);
        try
        {
            var stat = await client.StatObjectAsync(
                new StatObjectArgs().WithBucket(bucket).WithObject(ObjectKeys.Require(key)), cancellationToken);
            return new ObjectInfo(stat.Size, stat.ETag.Trim('"'));
        }
        catch (ObjectNotFoundException) { return null; }
    }

    private async Task DownloadCoreAsync(string key, string path, CancellationToken cancellationToken)
    {
        using var activity = StorageTelemetry.StartObjectStore("s3.get", bucket, key);
        await EnsureBucketAsync(cancellationToken);
        try
        {
            await using var file = new FileStream(path, FileMode.Create, FileAccess.Write,
                FileShare.None, 1 << 20, FileOptions.Asynchronous);
            await client.GetObjectAsync(new GetObjectArgs().WithBucket(bucket).WithObject(ObjectKeys.Require(key))
                .WithCallbackStream((stream, ct) => stream.CopyToAsync(file, 1 << 20, ct)), cancellationToken);
        }
        catch (Exception e) when (e is ObjectNotFoundException or BucketNotFoundException)
        {
            File.Delete(path);
            throw new StoredObjectNotFoundException(key);
        }
    }

    public string? LocalPath(string key) => null;

    private async Task DeleteCoreAsync(string key, CancellationToken cancellationToken)
    {
        await EnsureBucketAsync(cancellationToken);
        await client.RemoveObjectAsync(new RemoveObjectArgs().WithBucket(bucket).WithObject(ObjectKeys.Require(key)), cancellationToken);
    }

    private async Task<IReadOnlyList<string>> ListKeysCoreAsync(string prefix, CancellationToken cancellationToken)
    {
        using var activity = StorageTelemetry.StartObjectStore("s3.list", bucket, prefix);
        await EnsureBucketAsync(cancellationToken);
        var keys = new List<string>();
        await foreach (var item in client.ListObjectsEnumAsync(
                           new ListObjectsArgs().WithBucket(bucket).WithPrefix(prefix).WithRecursive(true), cancellationToken))
            if (!item.IsDir) keys.Add(item.Key);
        return keys.Order(StringComparer.Ordinal).ToList();
    }

    public Task<IReadOnlyList<string>> ListKeysAsync(string prefix, CancellationToken cancellationToken) =>
        Guarded(() => ListKeysCoreAsync(prefix, cancellationToken));

    public Task CheckAsync(CancellationToken cancellationToken) =>
        Guarded(async () => await client.BucketExistsAsync(new BucketExistsArgs().WithBucket(bucket), cancellationToken));

    public Task PutAsync(string key, Stream content, CancellationToken cancellationToken) =>
        Guarded(() => PutCoreAsync(key, content, cancellationToken));

    public Task<Stream> OpenReadAsync(string key, CancellationToken cancellationToken) =>
        Guarded(() => OpenReadCoreAsync(key, cancellationToken));

    public Task<ObjectInfo?> StatAsync(string key, CancellationToken cancellationToken) =>
        Guarded(() => StatCoreAsync(key, cancellationToken));

    public Task DownloadAsync(string key, string path, CancellationToken cancellationToken) =>
        Guarded(() => DownloadCoreAsync(key, path, cancellationToken));

    public Task DeleteAsync(string key, CancellationToken cancellationToken) => Guarded(() => DeleteCoreAsync(key, cancellationToken));

    /// <summary>
    /// The server not answering (refused or dropped connection; the SDK throws these bare or wrapped) becomes
    /// <see cref="ObjectStoreUnavailableException"/>, which the HTTP edge answers as a 503 naming the object store.
    /// </summary>
    private static async Task<T> Guarded<T>(Func<Task<T>> call)
    {
        try { return await call(); }
        catch (Exception e) when (IsUnreachable(e) || e is MinioException { InnerException: { } inner } && IsUnreachable(inner))
        {
            throw new ObjectStoreUnavailableException(e);
        }
    }

    private static Task Guarded(Func<Task> call) => Guarded(async () =>
    {
        await call();
        return true;
    });

    private static bool IsUnreachable(Exception e) =>
        e is HttpRequestException or HttpIOException or SocketException or ConnectionException;
}
