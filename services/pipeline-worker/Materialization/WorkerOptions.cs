namespace FeatureStore.PipelineWorker.Materialization;

/// <summary>Where and how hard a worker computes (configuration section <c>FeatureStore:Worker</c>).</summary>
public sealed class WorkerOptions
{
    /// <summary>Scratch space for runs (DuckDB spill files, offline output before upload).</summary>
    public string WorkDirectory { get; set; } = "";

    /// <summary>Local copies of source objects, keyed by their content fingerprint.</summary>
    public string CacheDirectory { get; set; } = "";

    public long CacheLimitBytes { get; set; } = 20L << 30;

    /// <summary>DuckDB's memory limit per run; beyond it, it spills to the work directory.</summary>
    public string MemoryLimit { get; set; } = "2GB";

    public int Threads { get; set; } = Environment.ProcessorCount;

    /// <summary>Rows per online-store write; a few batches are in flight at once.</summary>
    public int OnlineBatchSize { get; set; } = 4096;
}
