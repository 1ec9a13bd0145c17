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

/// <summary>How feature-api computes on-demand features (configuration <c>FeatureStore:OnDemand</c>).</summary>
public sealed class OnDemandOptions
{
    public const string Section = "FeatureStore:OnDemand";

    /// <summary>
    /// <see cref="OnDemandEvaluatorChoice.Registry"/> (the default): in process where the registry chose that for a view's version,
    /// else DuckDB. <see cref="OnDemandEvaluatorChoice.DuckDb"/>: every view with DuckDB, the reference the in-process evaluator is
    /// proven against: a same-run baseline, or a way to rule the evaluator out when a result is in doubt. Answers are the same
    /// either way (the differential tests hold them equal); only the time differs.
    /// </summary>
    public OnDemandEvaluatorChoice Evaluator { get; set; } = OnDemandEvaluatorChoice.Registry;
}

public enum OnDemandEvaluatorChoice
{
    Registry,
    DuckDb,
}
