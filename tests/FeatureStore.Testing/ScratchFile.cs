namespace FeatureStore.Testing;

/// <summary>
/// A CSV file in the temp directory, deleted when disposed: a file outside everything a service was given, for tests
/// that prove the service cannot read it.
/// </summary>
public sealed class ScratchFile : IDisposable
{
    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"fs-scratch-{Guid.NewGuid():N}.csv");

    public ScratchFile(string content) => File.WriteAllText(Path, content);

    public void Dispose()
    {
        try { File.Delete(Path); }
        catch (IOException) { }
    }
}
