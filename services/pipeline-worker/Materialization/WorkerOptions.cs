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

    /// <summary>
    /// A run computes its rows in slices of about this many source rows (entities split by key hash), one
    /// after the other, so its memory follows the slice size and not the input size.
    /// </summary>
    public long RowsPerSlice { get; set; } = 2_000_000;

    /// <summary>
    /// How long one statement that runs the view's SQL (one slice's computation) may take before DuckDB is interrupted and the
    /// run fails: a transformation whose cost the apply-time check cannot see (a generator over data) stops here.
    /// </summary>
    public TimeSpan QueryTimeLimit { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>
    /// About how many rows one offline file holds: consecutive event dates share a file up to this many (a date is never split).
    /// Fewer, larger files are what makes a small historical request fast; a million narrow rows is tens of megabytes of Parquet.
    /// </summary>
    public long OfflineRowsPerFile { get; set; } = 1_000_000;

    /// <summary>Rows per online-store write.</summary>
    public int OnlineBatchSize { get; set; } = 4096;

    /// <summary>Online-store writes in flight at once (each entity appears once per run, so their order does not matter).</summary>
    public int OnlineWritesInFlight { get; set; } = 4;
}
