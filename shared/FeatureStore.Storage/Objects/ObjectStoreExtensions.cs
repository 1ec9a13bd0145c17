using System.Security.Cryptography;

namespace FeatureStore.Storage.Objects;

public static class ObjectStoreExtensions
{
    /// <summary>Uploads a local file under <paramref name="key"/>; answers its SHA-256 (lower-case hex) and size, as the offline catalog records them.</summary>
    public static async Task<(string ContentHash, long SizeBytes)> PutFileAsync(this IObjectStore objects, string key, string file,
        CancellationToken cancellationToken)
    {
        await using var content = File.OpenRead(file);
        var hash = Convert.ToHexStringLower(await SHA256.HashDataAsync(content, cancellationToken));
        content.Position = 0;
        await objects.PutAsync(key, content, cancellationToken);
        return (hash, content.Length);
    }
}
