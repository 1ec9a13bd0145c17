using System.Security.Cryptography;

namespace FeatureStore.Storage.Objects;

/// <summary>Content hashes as the offline catalog and saved datasets record them: SHA-256, lower-case hex.</summary>
public static class FileHashes
{
    public static async Task<string> Sha256Async(Stream content, CancellationToken cancellationToken) =>
        Convert.ToHexStringLower(await SHA256.HashDataAsync(content, cancellationToken));

    public static async Task<string> Sha256Async(string file, CancellationToken cancellationToken)
    {
        await using var content = File.OpenRead(file);
        return await Sha256Async(content, cancellationToken);
    }
}

public static class ObjectStoreExtensions
{
    /// <summary>Uploads a local file under <paramref name="key"/>; answers its content hash (<see cref="FileHashes"/>) and size.</summary>
    public static async Task<(string ContentHash, long SizeBytes)> PutFileAsync(this IObjectStore objects, string key, string file,
        CancellationToken cancellationToken)
    {
        await using var content = File.OpenRead(file);
        var hash = await FileHashes.Sha256Async(content, cancellationToken);
        content.Position = 0;
        await objects.PutAsync(key, content, cancellationToken);
        return (hash, content.Length);
    }
}
