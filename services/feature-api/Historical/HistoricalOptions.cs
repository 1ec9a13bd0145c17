namespace FeatureStore.FeatureApi.Historical;

/// <summary>Where historical retrieval works and how much it may use (<c>FeatureStore:Historical</c>).</summary>
public sealed class HistoricalOptions
{
    /// <summary>Per-request scratch space (entity frames, results, DuckDB spill); under the data directory by default.</summary>
    public string WorkDirectory { get; set; } = "";

    /// <summary>Offline files fetched from the object store, kept by content hash.</summary>
    public string CacheDirectory { get; set; } = "";

    public long CacheLimitBytes { get; set; } = 20L << 30;

    /// <summary>DuckDB's memory limit per retrieval; beyond it DuckDB spills to the work directory.</summary>
    public string MemoryLimit { get; set; } = "2GB";

    public int Threads { get; set; } = Environment.ProcessorCount;

    /// <summary>How long the point-in-time join (and writing its result) may run before DuckDB is interrupted and the request
    /// refused (422): below the long requests' own time limit, so the answer says what stopped.</summary>
    public TimeSpan QueryTimeLimit { get; set; } = TimeSpan.FromMinutes(9);

    /// <summary>
    /// Entity dataframes of at most this many rows are joined to each view by key, reading it once, rather than by an ASOF join
    /// that sorts the view (and reads it twice when its source has created times): the faster form for a few rows. 0 turns it off.
    /// </summary>
    public int KeyJoinRows { get; set; } = 256;

    /// <summary>
    /// Rows of offline history held in memory, in all, for those few entity rows (<see cref="HeldHistories"/>): a held history
    /// answers them by lookups instead of reading its files. About 16 bytes a row and 8 a numeric feature. 0 holds none.
    /// </summary>
    public int HeldRows { get; set; } = 2_000_000;

    /// <summary>The largest entity dataframe accepted in one request body.</summary>
    public long MaxUploadBytes { get; set; } = 2L << 30;
}
