using System.Security.Cryptography;
using System.Text;
using FeatureStore.Storage.Objects;

namespace FeatureStore.PipelineWorker.Materialization;

/// <summary>
/// Source objects as local files for DuckDB (whose httpfs extension is not available here): downloaded
/// once per content fingerprint, reused while the object is unchanged, trimmed oldest first past a size
/// limit. A store that keeps objects locally is read in place.
/// </summary>
public sealed class SourceCache(IObjectStore objects, WorkerOptions options)
{
    public async Task<string> LocalFileAsync(string key, CancellationToken cancellationToken)
    {
        if (objects.LocalPath(key) is { } local) return local;
        var info = await objects.StatAsync(key, cancellationToken)
                   ?? throw new MaterializationException($"the source '{key}' does not exist in the object store");
        Directory.CreateDirectory(options.CacheDirectory);
        var name = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{key}\n{info.Size}\n{info.Fingerprint}")));
        var path = Path.Combine(options.CacheDirectory, name + ".parquet");
        if (File.Exists(path))
        {
            File.SetLastAccessTimeUtc(path, DateTime.UtcNow);
            return path;
        }
        var partial = $"{path}.{Guid.NewGuid():N}.part";
        try
        {
            await objects.DownloadAsync(key, partial, cancellationToken);
            File.Move(partial, path, overwrite: true);
        }
        catch (StoredObjectNotFoundException e)
        {
            throw new MaterializationException($"the source '{key}' does not exist in the object store", e);
        }
        finally
        {
            if (File.Exists(partial)) File.Delete(partial);
        }
        Trim(keep: path);
        return path;
    }

    private void Trim(string keep)
    {
        var files = new DirectoryInfo(options.CacheDirectory).GetFiles("*.parquet").OrderBy(f => f.LastAccessTimeUtc).ToList();
        var total = files.Sum(f => f.Length);
        foreach (var file in files.Where(f => f.FullName != keep))
        {
            if (total <= options.CacheLimitBytes) break;
            try { file.Delete(); total -= file.Length; }
            catch (IOException) { } // in use by a running job; try again next time
        }
    }
}
