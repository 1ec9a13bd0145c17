namespace FeatureStore.Registry.Sources;

/// <summary>How source file uploads are received and checked (configuration section <c>FeatureStore:Uploads</c>).</summary>
public sealed class UploadOptions
{
    /// <summary>The largest file accepted in one upload; a larger body is refused with a 413 before anything is stored.</summary>
    public long MaxBytes { get; set; } = 1L << 30;

    /// <summary>Scratch space for received files, CSV conversions and DuckDB's spill; under the data directory by default.</summary>
    public string WorkDirectory { get; set; } = "";

    /// <summary>DuckDB's memory limit while checking or converting one file; beyond it DuckDB spills to the work directory.</summary>
    public string MemoryLimit { get; set; } = "1GB";

    public int Threads { get; set; } = Math.Min(Environment.ProcessorCount, 4);
}
