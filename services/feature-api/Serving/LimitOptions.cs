namespace FeatureStore.FeatureApi.Serving;

/// <summary>Limits on what one request may cost (configuration <c>FeatureStore:Limits</c>).</summary>
public sealed class LimitOptions
{
    /// <summary>
    /// How long the on-demand features of one view may compute for one online request before DuckDB is interrupted and the
    /// request refused. Expressions are row arithmetic taking microseconds; this only stops one that burns CPU.
    /// </summary>
    public int OnDemandQueryMilliseconds { get; set; } = 250;

    /// <summary>DuckDB's memory limit for each pooled on-demand connection (DuckDB's syntax): an expression that would hold more
    /// is refused (422), never left to grow the process.</summary>
    public string OnDemandMemoryLimit { get; set; } = "64MB";
}
