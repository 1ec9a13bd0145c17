namespace FeatureStore.Storage.Objects;

/// <summary>
/// The offline store's bytes: source data, offline feature tables, model artifacts, addressed by key
/// (<c>sources/…</c>, <c>offline/…</c>, <c>models/…</c>). Never listed: catalogs in the registry
/// database say which keys exist.
/// </summary>
public interface IObjectStore
{
    Task PutAsync(string key, Stream content, CancellationToken cancellationToken);

    /// <summary>A seekable stream over the whole object; throws <see cref="StoredObjectNotFoundException"/> when absent.</summary>
    Task<Stream> OpenReadAsync(string key, CancellationToken cancellationToken);

    /// <summary>Size and content fingerprint of an object (the S3 ETag; size and write time locally); null when absent.</summary>
    Task<ObjectInfo?> StatAsync(string key, CancellationToken cancellationToken);

    /// <summary>Copies the whole object to a local file; throws <see cref="StoredObjectNotFoundException"/> when absent.</summary>
    Task DownloadAsync(string key, string path, CancellationToken cancellationToken);

    /// <summary>The object's own file when the store keeps objects on this machine (nothing to copy); null otherwise.</summary>
    string? LocalPath(string key);

    Task DeleteAsync(string key, CancellationToken cancellationToken);

    /// <summary>The keys of every object whose key starts with <paramref name="prefix"/>, in ordinal key order.</summary>
    Task<IReadOnlyList<string>> ListKeysAsync(string prefix, CancellationToken cancellationToken);

    /// <summary>Checks that the store answers (health checks).</summary>
    Task CheckAsync(CancellationToken cancellationToken);
}

public sealed record ObjectInfo(long Size, string Fingerprint);

public sealed class StoredObjectNotFoundException(string key)
    : Exception($"object '{key}' does not exist in the object store")
{
    public string Key { get; } = key;
}

/// <summary>The object store's server cannot be reached now; the same call may succeed later.</summary>
public sealed class ObjectStoreUnavailableException(Exception cause)
    : Exception($"the object store cannot be reached: {cause.Message}", cause);

public static class ObjectKeys
{
    /// <summary>Keys are relative paths of non-empty segments; nothing may climb out of its bucket or folder.</summary>
    public static bool IsValid(string? key) =>
        !string.IsNullOrWhiteSpace(key) && key.Length <= 1024 && !key.StartsWith('/') && !key.Contains('\\')
        && key.Split('/').All(segment => segment.Length > 0 && segment != "." && segment != "..");

    public static string Require(string key) =>
        IsValid(key) ? key : throw new ArgumentException($"'{key}' is not a valid object key", nameof(key));
}
