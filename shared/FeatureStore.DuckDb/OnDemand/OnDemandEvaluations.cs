using DuckDB.NET.Data;
using FeatureStore.Domain;

namespace FeatureStore.DuckDb.OnDemand;

/// <summary>
/// The one rule choosing how online serving computes an on-demand view: in process when every expression of the view compiles
/// (<see cref="CompiledOnDemandView.TryCompile"/>), otherwise DuckDB, with the reason. The registry decides with it when a
/// version is applied (<see cref="Decide"/>); feature-api compiles the views the registry chose (<see cref="Compile"/>). Binding
/// runs on one sandboxed connection, one expression at a time.
/// </summary>
public static class OnDemandEvaluations
{
    private static readonly Lock Gate = new();
    private static DuckDBConnection? _planner;

    public static OnDemandEvaluation Decide(OnDemandFeatureViewDefinition view) => Compile(view, out var reason) is not null
        ? new OnDemandEvaluation(OnDemandEvaluation.InProcess)
        : new OnDemandEvaluation(OnDemandEvaluation.DuckDb, reason);

    /// <summary>The view compiled, or null with <paramref name="reason"/>.</summary>
    public static CompiledOnDemandView? Compile(OnDemandFeatureViewDefinition view, out string? reason)
    {
        lock (Gate)
        {
            _planner ??= DuckDbSandbox.OpenLocked(new DuckDbLimits(Threads: 1));
            try
            {
                return CompiledOnDemandView.TryCompile(view, _planner, out reason);
            }
            catch (DuckDBException e)
            {
                reason = $"DuckDB could not bind it: {e.Message}";
                return null;
            }
        }
    }
}
