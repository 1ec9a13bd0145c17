using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using DuckDB.NET.Data;
using FeatureStore.Api;
using FeatureStore.Domain;
using FeatureStore.DuckDb;
using FeatureStore.DuckDb.OnDemand;
using Microsoft.Extensions.Options;

namespace FeatureStore.FeatureApi.Serving;

/// <summary>
/// Computes on-demand features per request: in process when the registry chose that for the view's version
/// (<see cref="OnDemandEvaluation"/>: its expressions compiled once per version to .NET from DuckDB's own binding, proven
/// against DuckDB by the differential tests), otherwise with DuckDB, so an expression means exactly what it means
/// in the registry's check and in historical retrieval (<see cref="OnDemandSql"/>); <see cref="OnDemandOptions.Evaluator"/> can send
/// every view to DuckDB. Small in-memory
/// connections are pooled (a connection serves one request at a time); inputs travel as parameters,
/// never as SQL text, and every connection is locked in <see cref="DuckDbSandbox"/> (no file, no network) before any expression runs.
/// An expression runs only once <see cref="SqlFunctionPolicy"/> allows it (a definition stored before a rule existed is refused
/// here too; checked once per view version), and within <see cref="LimitOptions.OnDemandQueryMilliseconds"/>: one that would
/// burn CPU for every request is interrupted at its limit and refused (422), never left to run.
/// </summary>
public sealed class OnDemandEvaluator(IOptions<LimitOptions> limits, IOptions<OnDemandOptions> choice, ILogger<OnDemandEvaluator> logger)
    : IDisposable
{
    private readonly bool _inProcess = choice.Value.Evaluator == OnDemandEvaluatorChoice.Registry;
    private readonly TimeSpan _limit = TimeSpan.FromMilliseconds(Math.Max(1, limits.Value.OnDemandQueryMilliseconds));
    private readonly ConcurrentBag<DuckDBConnection> _idle = [];
    // Per project too: two projects may each have a version 1 of a view of one name, with other expressions.
    private readonly ConcurrentDictionary<(string Project, string View, int Version, int Rows), string> _queries = new();
    private readonly ConcurrentDictionary<(string Project, string View, int Version), CompiledOnDemandView?> _compiled = new();

    /// <summary>What computes the view here: its compiled form (in process), or null for DuckDB.</summary>
    public CompiledOnDemandView? InProcessForm(OnDemandFeatureViewDefinition view, string field) =>
        _inProcess && view.Evaluation?.IsInProcess == true ? Compiled(view, field) : null;

    /// <summary>
    /// The view's features for each row; <paramref name="rows"/>[r] holds a value per <see cref="OnDemandSql.StoredColumns"/>
    /// (normalised CLR values, null when absent). Answers rows × features, normalised to the declared types.
    /// </summary>
    public object?[][] Evaluate(OnDemandFeatureViewDefinition view, IReadOnlyList<object?[]> rows, string field)
    {
        if (InProcessForm(view, field) is { } compiled)
        {
            try
            {
                return compiled.Evaluate(rows);
            }
            catch (SqlEvaluationException e)
            {
                throw FieldErrors.Invalid(field, $"on-demand view '{view.Name}' could not be computed for these inputs: {e.Message}");
            }
        }
        var columns = OnDemandSql.StoredColumns(view);
        var sql = _queries.GetOrAdd((view.Project, view.Name, view.Version, rows.Count), _ =>
        {
            EnsureAllowed(view, field);
            return Query(view, columns, rows.Count);
        });
        var connection = Rent();
        try
        {
            using var command = connection.CreateCommand();
            command.CommandText = sql;
            foreach (var row in rows)
                for (var c = 0; c < columns.Count; c++)
                    command.Parameters.Add(new DuckDBParameter { Value = Parameter(columns[c].Type, row[c]) ?? DBNull.Value });
            return DuckDbTimeLimit.Run(command, _limit, c => Read(c, view, rows.Count));
        }
        catch (QueryTimeLimitException e)
        {
            throw new UnprocessableException([new FieldError(field, $"on-demand view '{view.Name}' was stopped: {e.Message}")]);
        }
        catch (DuckDBException e) when (e.Message.Contains("Out of Memory", StringComparison.OrdinalIgnoreCase))
        {
            throw new UnprocessableException([new FieldError(field,
                $"on-demand view '{view.Name}' was stopped: it needs more than its memory limit of {limits.Value.OnDemandMemoryLimit}")]);
        }
        catch (DuckDBException e)
        {
            throw FieldErrors.Invalid(field, $"on-demand view '{view.Name}' could not be computed for these inputs: {e.Message}");
        }
        finally
        {
            _idle.Add(connection);
        }
    }

    /// <summary>The view's compiled expressions, once per version; null (DuckDB serves it, and the log says why, once) should
    /// this build not compile what the registry's did.</summary>
    private CompiledOnDemandView? Compiled(OnDemandFeatureViewDefinition view, string field) =>
        _compiled.GetOrAdd((view.Project, view.Name, view.Version), _ =>
        {
            EnsureAllowed(view, field);
            var compiled = OnDemandEvaluations.Compile(view, out var reason);
            if (compiled is null)
                logger.LogWarning("On-demand view {Project}/{View} version {Version} is served by DuckDB, not in process as the "
                    + "registry decided: {Reason}", view.Project, view.Name, view.Version, reason);
            return compiled;
        });

    private static object?[][] Read(DuckDBCommand command, OnDemandFeatureViewDefinition view, int rowCount)
    {
        using var reader = command.ExecuteReader();
        var results = new object?[rowCount][];
        while (reader.Read())
        {
            var row = reader.GetInt32(0);
            var values = new object?[view.Features.Count];
            for (var f = 0; f < values.Length; f++)
                values[f] = reader.IsDBNull(f + 1) ? null : FeatureValues.Normalize(view.Features[f].Type, reader.GetValue(f + 1));
            results[row] = values;
        }
        return results;
    }

    /// <summary>Refuses (422 at <paramref name="field"/>) a view with an expression <see cref="SqlFunctionPolicy"/> does not
    /// allow, naming the feature and the function; online serving and historical retrieval both ask before they run it.</summary>
    public static void EnsureAllowed(OnDemandFeatureViewDefinition view, string field)
    {
        var refused = view.Features
            .Select(f => SqlFunctionPolicy.CheckExpression(f.Expression, "inputs") is { } reason
                ? new FieldError(field, $"on-demand feature {view.Name}:{f.Name}: {reason}") : null)
            .OfType<FieldError>().ToList();
        if (refused.Count > 0) throw new UnprocessableException(refused);
    }

    /// <summary>VALUES rows of typed parameters, one per request row, numbered so the answer keeps their order.</summary>
    private static string Query(OnDemandFeatureViewDefinition view, IReadOnlyList<OnDemandColumn> columns, int rowCount)
    {
        var values = new StringBuilder();
        var parameter = 0;
        for (var row = 0; row < rowCount; row++)
        {
            values.Append(row == 0 ? "(" : ", (").Append(row.ToString(CultureInfo.InvariantCulture));
            foreach (var column in columns)
            {
                var type = DuckDbTypes.ToSql(column.Type);
                // Arrays travel as JSON text: DuckDB casts '[1.5, 2]' to a list.
                var source = column.Type.IsArray() ? $"CAST(${++parameter} AS VARCHAR)" : $"${++parameter}";
                values.Append(", CAST(").Append(source).Append(" AS ").Append(type).Append(')');
            }
            values.Append(')');
        }
        var names = string.Join(", ", columns.Select(c => DuckDbTypes.Quote(c.Name)).Prepend(OnDemandSql.RowColumn));
        return OnDemandSql.Evaluate(view, $"(VALUES {values}) AS v({names})") + $" ORDER BY {OnDemandSql.RowColumn}";
    }

    private static object? Parameter(FeatureValueType type, object? value) => value switch
    {
        null => null,
        DateTimeOffset time => time.UtcDateTime,
        _ when type.IsArray() => JsonText(value),
        _ => value,
    };

    private static string JsonText(object value) => FeatureValues.ToJsonElement(value).GetRawText();

    private DuckDBConnection Rent()
    {
        if (_idle.TryTake(out var connection)) return connection;
        return DuckDbSandbox.OpenLocked(new DuckDbLimits(MemoryLimit: limits.Value.OnDemandMemoryLimit, Threads: 1));
    }

    public void Dispose()
    {
        while (_idle.TryTake(out var connection)) connection.Dispose();
    }
}
