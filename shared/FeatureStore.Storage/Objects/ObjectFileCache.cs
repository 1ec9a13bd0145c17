using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace FeatureStore.Storage.Objects;

/// <summary>
/// Objects as local files for DuckDB (whose httpfs extension is not available here): downloaded once per
/// content fingerprint (or per content hash when the offline catalog already knows it, which saves asking
/// the store), reused while the object is unchanged, trimmed oldest first past a size limit. A store that
/// keeps objects locally is read in place. Callers asking for the same object at once share one download.
/// </summary>
public sealed class ObjectFileCache(IObjectStore objects, string directory, long limitBytes)
{
    private readonly ConcurrentDictionary<string, Lazy<Task>> _downloading = new();

    /// <summary>The object as a local file; throws <see cref="StoredObjectNotFoundException"/> when it does not exist.</summary>
    public async Task<string> LocalFileAsync(string key, CancellationToken cancellationToken, string? contentHash = null)
    {
        if (objects.LocalPath(key) is { } local) return local;
        string name;
        if (contentHash is not null) name = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"sha256\n{contentHash}")));
        else
        {
            var info = await objects.StatAsync(key, cancellationToken) ?? throw new StoredObjectNotFoundException(key);
            name = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{key}\n{info.Size}\n{info.Fingerprint}")));
        }
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, name + ".parquet");
        if (File.Exists(path))
        {
            File.SetLastAccessTimeUtc(path, DateTime.UtcNow);
            return path;
        }
        // Shared by every caller waiting for it, so no one caller's cancellation stops it.
        var download = _downloading.GetOrAdd(path, p => new Lazy<Task>(() => DownloadAsync(key, p)));
        await download.Value.WaitAsync(cancellationToken);
        return path;
    }

    private async Task DownloadAsync(string key, string path)
    {
        var partial = $"{path}.{Guid.NewGuid():N}.part";
        try
        {
            await objects.DownloadAsync(key, partial, CancellationToken.None);
            File.Move(partial, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(partial)) File.Delete(partial);
            _downloading.TryRemove(path, out _);
        }
        Trim(keep: path);
    }

    private void Trim(string keep)
    {
        var files = new DirectoryInfo(directory).GetFiles("*.parquet").OrderBy(f => f.LastAccessTimeUtc).ToList();
        var total = files.Sum(f => f.Length);
        foreach (var file in files.Where(f => f.FullName != keep))
        {
            if (total <= limitBytes) break;
            try { file.Delete(); total -= file.Length; }
            catch (IOException) { } // in use by a running reader; try again next time
        }
    }
}
