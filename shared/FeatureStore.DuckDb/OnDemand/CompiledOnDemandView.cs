using DuckDB.NET.Data;
using FeatureStore.Domain;

namespace FeatureStore.DuckDb.OnDemand;

/// <summary>
/// An on-demand view's expressions as .NET delegates: each bound by DuckDB once (<see cref="BoundPlanReader"/>) over the view's
/// columns as its expressions see them (<see cref="OnDemandSql.Columns"/>), compiled (<see cref="ExpressionCompiler"/>), then
/// evaluated per row without a query. A view any of whose expressions uses something not compiled is not compiled at all
/// (<see cref="TryCompile"/> says why) and stays on DuckDB whole.
/// </summary>
public sealed class CompiledOnDemandView
{
    private readonly OnDemandFeatureViewDefinition _view;
    private readonly int[] _fromStored; // per column the expressions see: its position among the stored columns
    private readonly Func<object?[], object?>[] _features;

    private CompiledOnDemandView(OnDemandFeatureViewDefinition view, int[] fromStored, Func<object?[], object?>[] features) =>
        (_view, _fromStored, _features) = (view, fromStored, features);

    /// <summary>The compiled view, or null with <paramref name="reason"/> naming the feature and what is not compiled.</summary>
    public static CompiledOnDemandView? TryCompile(OnDemandFeatureViewDefinition view, DuckDBConnection connection, out string? reason)
    {
        var seen = OnDemandSql.Columns(view);
        var stored = OnDemandSql.StoredColumns(view).Select(c => c.Name).ToList();
        var fromStored = seen.Select(c => stored.IndexOf(c.Input is { } input ? OnDemandSql.InputColumn(input) : c.Name)).ToArray();
        var columns = seen.Select(c => (c.Name, c.Type)).ToList();
        var features = new Func<object?[], object?>[view.Features.Count];
        for (var f = 0; f < features.Length; f++)
        {
            var feature = view.Features[f];
            try
            {
                features[f] = ExpressionCompiler.Compile(BoundPlanReader.Read(connection, columns, feature.Expression, feature.Type));
            }
            catch (NotCompiledException e)
            {
                reason = $"{view.Name}:{feature.Name} uses {e.Message}";
                return null;
            }
        }
        reason = null;
        return new CompiledOnDemandView(view, fromStored, features);
    }

    /// <summary>
    /// The view's features for each row, as <c>OnDemandEvaluator.Evaluate</c> answers them: <paramref name="rows"/>[r] holds a
    /// value per <see cref="OnDemandSql.StoredColumns"/>; the answer is rows × features, normalised to the declared types. An
    /// input DuckDB would refuse (an overflow) is a <see cref="SqlEvaluationException"/>.
    /// </summary>
    public object?[][] Evaluate(IReadOnlyList<object?[]> rows)
    {
        var results = new object?[rows.Count][];
        var inputs = new object?[_fromStored.Length];
        for (var r = 0; r < rows.Count; r++)
        {
            for (var c = 0; c < inputs.Length; c++) inputs[c] = Runtime(rows[r][_fromStored[c]]);
            var values = new object?[_features.Length];
            for (var f = 0; f < values.Length; f++)
                values[f] = _features[f](inputs) is { } value ? FeatureValues.Normalize(_view.Features[f].Type, value) : null;
            results[r] = values;
        }
        return results;
    }

    // A value as DuckDB holds it: instants in UTC at microseconds (DuckDB's TIMESTAMP drops the rest).
    private static object? Runtime(object? value) => value switch
    {
        DateTimeOffset at => Microseconds(at.UtcDateTime),
        DateTime at => Microseconds(DateTime.SpecifyKind(at, DateTimeKind.Utc)),
        _ => value,
    };

    private static DateTime Microseconds(DateTime utc) => new(utc.Ticks - utc.Ticks % TimeSpan.TicksPerMicrosecond, DateTimeKind.Utc);
}
