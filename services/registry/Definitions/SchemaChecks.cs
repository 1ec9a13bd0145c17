using FeatureStore.Api;
using FeatureStore.Domain;
using FeatureStore.DuckDb;

namespace FeatureStore.Registry.Definitions;

/// <summary>
/// Checks feature views against their source's columns (through their SQL transformation, when they
/// have one) and on-demand expressions against their inputs, before anything is accepted. Source file
/// uploads run the same view check over the uploaded file's columns, so there is one rule for both.
/// </summary>
public sealed class SchemaChecks(List<FieldError> errors)
{
    private void Fail(string path, string reason) => errors.Add(new FieldError(path, reason));

    public async Task CheckAsync(DesiredState state, SourceSchemaReader sources, Func<IRegistryDefinition, bool> changed,
        CancellationToken cancellationToken)
    {
        using var sql = new SqlChecker();
        foreach (var (definition, path, _) in state.Objects.Where(o => changed(o.Definition)).ToList())
        {
            if (definition is FeatureViewDefinition view) await CheckViewAsync(sql, sources, view, path, cancellationToken);
            else if (definition is OnDemandFeatureViewDefinition onDemand) CheckOnDemand(sql, onDemand, path);
        }
    }

    private async Task CheckViewAsync(SqlChecker sql, SourceSchemaReader sources, FeatureViewDefinition view, string path,
        CancellationToken cancellationToken)
    {
        // Functions are checked without the source's columns: a refused one is refused even before data exists.
        if (!Allowed(view, path)) return;
        var (columns, problem) = await sources.ReadAsync(view.Source, cancellationToken);
        if (columns is null)
        {
            // Without columns a plain view is checked once data exists; SQL and aggregations must be checked now.
            if (view.TransformationSql is not null) Fail($"{path}.transformation.sql", $"cannot be checked: {problem}");
            else if (view.Aggregations is { Count: > 0 }) Fail($"{path}.aggregations", $"cannot be checked: {problem}");
            return;
        }
        CheckView(sql, view, columns, $"source '{view.Source.Name}'", path, $"{path}.source");
    }

    /// <summary>
    /// Whether <paramref name="view"/> computes over <paramref name="columns"/> (named <paramref name="columnsOrigin"/> in reasons):
    /// its transformation runs, and its join keys, timestamps, features and aggregation columns exist with types it can hold.
    /// Problems with the columns themselves (no transformation) are reported at <paramref name="columnsPath"/>.
    /// </summary>
    public void CheckView(SqlChecker sql, FeatureViewDefinition view, IReadOnlyList<SourceField> columns, string columnsOrigin,
        string path, string columnsPath)
    {
        IReadOnlyList<SqlColumn> output;
        string origin, originPath;
        if (!Allowed(view, path)) return;
        if (view.TransformationSql is { } select)
        {
            var (described, error) = sql.Describe("source", columns, select);
            if (described is null)
            {
                Fail($"{path}.transformation.sql", $"does not run over the columns of {columnsOrigin} ({List(columns)}): {error}");
                return;
            }
            (output, origin, originPath) = (described, "the transformation's output", $"{path}.transformation.sql");
        }
        else (output, origin, originPath) = (columns.Select(c => new SqlColumn(c.Name, DuckDbTypes.ToSql(c.Type))).ToList(),
            columnsOrigin, columnsPath);
        SqlColumn? Column(string name) => output.FirstOrDefault(c => c.Name == name);

        for (var e = 0; e < view.Entities.Count; e++)
            foreach (var key in view.Entities[e].JoinKeys)
                if (Column(key.Name) is not { } column) Fail($"{path}.entities[{e}]",
                    $"join key '{key.Name}' of entity '{view.Entities[e].Name}' is not a column of {origin}");
                else if (column.Type is not { } type || !key.Type.CanHold(type))
                    Fail($"{path}.entities[{e}]", $"join key '{key.Name}' is {key.Type.ToName()} but {origin} gives {column.SqlType}");
        foreach (var timestamp in new[] { view.Source.TimestampField, view.Source.CreatedTimestampField }.OfType<string>())
            if (Column(timestamp) is not { } column) Fail(originPath, $"timestamp column '{timestamp}' is not a column of {origin}");
            else if (column.Type != FeatureValueType.Timestamp) Fail(originPath,
                $"timestamp column '{timestamp}' is {column.SqlType} in {origin}, not a timestamp");

        var aggregated = (view.Aggregations ?? []).Select(a => a.Name).ToHashSet();
        for (var i = 0; i < view.Features.Count; i++)
        {
            var feature = view.Features[i];
            if (aggregated.Contains(feature.Name)) continue;
            if (Column(feature.Name) is not { } column) Fail($"{path}.schema[{i}].name",
                $"'{feature.Name}' is not a column of {origin} ({List(output)})");
            else if (column.Type is not { } type || !feature.Type.CanHold(type))
                Fail($"{path}.schema[{i}].type", $"is {feature.Type.ToName()} but {origin} gives {column.SqlType}");
        }
        for (var j = 0; j < (view.Aggregations?.Count ?? 0); j++)
        {
            var aggregation = view.Aggregations![j];
            if (Column(aggregation.Column) is not { } column)
            {
                Fail($"{path}.aggregations[{j}].column", $"'{aggregation.Column}' is not a column of {origin} ({List(output)})");
                continue;
            }
            if (AggregateType(aggregation.Function, column.Type) is not { } produced)
            {
                Fail($"{path}.aggregations[{j}].function",
                    $"{aggregation.Function.ToString().ToLowerInvariant()} does not apply to '{aggregation.Column}' ({column.SqlType})");
                continue;
            }
            var index = view.Features.ToList().FindIndex(f => f.Name == aggregation.Name);
            if (!view.Features[index].Type.CanHold(produced))
                Fail($"{path}.schema[{index}].type",
                    $"is {view.Features[index].Type.ToName()} but aggregation '{aggregation.Name}' produces {produced.ToName()}");
        }
    }

    /// <summary>Whether the view's transformation calls only what <see cref="SqlFunctionPolicy"/> allows; if not, the refusal
    /// names the function at the transformation's field, alone (the columns it would give do not matter then).</summary>
    private bool Allowed(FeatureViewDefinition view, string path)
    {
        if (view.TransformationSql?.TrimEnd().TrimEnd(';') is not { } select
            || SqlFunctionPolicy.Check(select, "source") is not { } refused) return true;
        Fail($"{path}.transformation.sql", refused);
        return false;
    }

    /// <summary>What an aggregation of a column produces, or null when it does not apply to that column.</summary>
    public static FeatureValueType? AggregateType(AggregationFunction function, FeatureValueType? column) => function switch
    {
        AggregationFunction.Count or AggregationFunction.CountDistinct => FeatureValueType.Int64,
        AggregationFunction.Sum when column is FeatureValueType.Int32 or FeatureValueType.Int64 => FeatureValueType.Int64,
        AggregationFunction.Sum or AggregationFunction.Avg when column?.IsNumeric() == true => FeatureValueType.Float64,
        AggregationFunction.Min or AggregationFunction.Max
            when column?.IsNumeric() == true || column == FeatureValueType.Timestamp => column,
        _ => null,
    };

    private void CheckOnDemand(SqlChecker sql, OnDemandFeatureViewDefinition view, string path)
    {
        var inputs = OnDemandSql.Columns(view).Select(c => new SourceField(c.Name, c.Type)).ToList();
        for (var i = 0; i < view.Features.Count; i++)
        {
            var feature = view.Features[i];
            if (SqlFunctionPolicy.CheckExpression(feature.Expression, "inputs") is { } refused)
            {
                Fail($"{path}.schema[{i}].expression", refused);
                continue;
            }
            var (column, error) = sql.DescribeExpression(inputs, feature.Expression);
            if (column is null) Fail($"{path}.schema[{i}].expression", $"does not evaluate over the inputs ({List(inputs)}): {error}");
            else if (column.Type is not { } type || !feature.Type.CanHold(type))
                Fail($"{path}.schema[{i}].type", $"is {feature.Type.ToName()} but the expression gives {column.SqlType}");
        }
    }

    private static string List(IEnumerable<SourceField> columns) => string.Join(", ", columns.Select(c => c.Name));

    private static string List(IEnumerable<SqlColumn> columns) => string.Join(", ", columns.Select(c => c.Name));
}
