using System.Data.Common;
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

    public async Task PutAsync(string key, Stream content, CancellationToken cancellationToken)
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

    public async Task<Stream> OpenReadAsync(string key, CancellationToken cancellationToken)
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

    public async Task<ObjectInfo?> StatAsync(string key, CancellationToken cancellationToken)
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

    public async Task DownloadAsync(string key, string path, CancellationToken cancellationToken)
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

    public async Task DeleteAsync(string key, CancellationToken cancellationToken)
    {
        await EnsureBucketAsync(cancellationToken);
        await client.RemoveObjectAsync(new RemoveObjectArgs().WithBucket(bucket).WithObject(ObjectKeys.Require(key)), cancellationToken);
    }

    public async Task CheckAsync(CancellationToken cancellationToken) =>
        await client.BucketExistsAsync(new BucketExistsArgs().WithBucket(bucket), cancellationToken);
}
