using System.Collections.Concurrent;
using System.Text.Json;
using DuckDB.NET.Data;
using FeatureStore.Domain;

namespace FeatureStore.DuckDb.OnDemand;

/// <summary>
/// The one rule choosing how online serving computes an on-demand view: in process when every expression of the view compiles
/// (<see cref="CompiledOnDemandView.TryCompile"/>), otherwise DuckDB, with the reason. The registry decides with it when a
/// version is applied (<see cref="Decide"/>); feature-api compiles the views the registry chose (<see cref="Compile"/>). Binding
/// runs on one sandboxed connection, one expression at a time; a decision is kept per view shape, because every apply resolves
/// the views it keeps again and binding is a DuckDB call per feature.
/// </summary>
public static class OnDemandEvaluations
{
    private static readonly Lock Gate = new();
    private static readonly ConcurrentDictionary<string, OnDemandEvaluation> Decisions = new();
    private const int MaxDecisions = 4096;
    private static DuckDBConnection? _planner;

    public static OnDemandEvaluation Decide(OnDemandFeatureViewDefinition view)
    {
        // Everything compiling and its reason read: the name (in the reason), the columns the expressions see, the expressions.
        var shape = JsonSerializer.Serialize(new { view.Name, view.Inputs, view.RequestFields, view.Features });
        if (Decisions.TryGetValue(shape, out var decided)) return decided;
        decided = Compile(view, out var reason) is not null
            ? new OnDemandEvaluation(OnDemandEvaluation.InProcess)
            : new OnDemandEvaluation(OnDemandEvaluation.DuckDb, reason);
        if (Decisions.Count >= MaxDecisions) Decisions.Clear();
        return Decisions[shape] = decided;
    }

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
