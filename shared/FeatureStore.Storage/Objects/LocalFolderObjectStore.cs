namespace FeatureStore.Storage.Objects;

/// <summary>Object store in a local folder, for the standalone host.</summary>
public sealed class LocalFolderObjectStore(string root) : IObjectStore
{
    private readonly string _root = Path.GetFullPath(root);

    private string PathOf(string key) => Path.Combine(_root, ObjectKeys.Require(key).Replace('/', Path.DirectorySeparatorChar));

    public async Task PutAsync(string key, Stream content, CancellationToken cancellationToken)
    {
        var path = PathOf(key);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        // Write aside, then rename: a reader sees the old object or the new one, never half of one.
        var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
        await using (var file = File.Create(temporary)) await content.CopyToAsync(file, cancellationToken);
        File.Move(temporary, path, overwrite: true);
    }

    public Task<Stream> OpenReadAsync(string key, CancellationToken cancellationToken)
    {
        try
        {
            return Task.FromResult<Stream>(new FileStream(PathOf(key), FileMode.Open, FileAccess.Read,
                FileShare.Read | FileShare.Delete, 81920, useAsync: true));
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new StoredObjectNotFoundException(key);
        }
    }

    public Task<ObjectInfo?> StatAsync(string key, CancellationToken cancellationToken)
    {
        var file = new FileInfo(PathOf(key));
        return Task.FromResult(file.Exists ? new ObjectInfo(file.Length, $"{file.Length:x}-{file.LastWriteTimeUtc.Ticks:x}") : null);
    }

    public async Task DownloadAsync(string key, string path, CancellationToken cancellationToken)
    {
        await using var source = await OpenReadAsync(key, cancellationToken);
        await using var target = File.Create(path);
        await source.CopyToAsync(target, cancellationToken);
    }

    public string? LocalPath(string key) => File.Exists(PathOf(key)) ? PathOf(key) : null;

    public Task DeleteAsync(string key, CancellationToken cancellationToken)
    {
        File.Delete(PathOf(key));
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<string>> ListKeysAsync(string prefix, CancellationToken cancellationToken)
    {
        IReadOnlyList<string> keys = Directory.Exists(_root)
            ? Directory.EnumerateFiles(_root, "*", SearchOption.AllDirectories)
                .Select(file => Path.GetRelativePath(_root, file).Replace(Path.DirectorySeparatorChar, '/'))
                .Where(key => key.StartsWith(prefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToList()
            : [];
        return Task.FromResult(keys);
    }

    public Task CheckAsync(CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(_root);
        return Task.CompletedTask;
    }
}
