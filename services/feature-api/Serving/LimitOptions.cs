namespace FeatureStore.FeatureApi.Serving;

/// <summary>Limits on what one request may cost (configuration <c>FeatureStore:Limits</c>).</summary>
public sealed class LimitOptions
{
    /// <summary>
    /// How long the on-demand features of one view may compute for one online request before DuckDB is interrupted and the
    /// request refused. Expressions are row arithmetic taking microseconds; this only stops one that burns CPU.
    /// </summary>
    public int OnDemandQueryMilliseconds { get; set; } = 250;
}
