using FeatureStore.Api;
using FeatureStore.Domain;
using FeatureStore.Registry.Definitions;

namespace FeatureStore.Registry.Sources;

/// <summary>
/// Whether an uploaded file can be a batch source's data, with the registry's one type rule
/// (<see cref="DuckDbTypes.FromSql"/>, then <see cref="FeatureValueTypes.CanHold"/>):
/// <list type="bullet">
/// <item>every column the source declares is in the file, with a type the declared type can hold;</item>
/// <item>the timestamp field (and created timestamp field) is in the file and is a timestamp: TIMESTAMP, TIMESTAMPTZ
/// or DATE in Parquet, which is stored as sent; in CSV, text that converts to TIMESTAMPTZ (<see cref="CsvTypes"/>);</item>
/// <item>when the source declares no schema, every feature view that reads its path still computes over the file's
/// columns: the apply-time check (<see cref="SchemaChecks.CheckView"/>) run over them, transformation SQL included.</item>
/// </list>
/// Every problem is reported at once; any problem means nothing is stored.
/// </summary>
public static class SourceFileChecks
{
    public const string FileField = "file";

    public static string ColumnField(string column) => $"{FileField}.columns.{column}";

    public static string ViewField(string view) => $"{FileField}.featureViews.{view}";

    /// <summary>The types a CSV's columns are converted to: the declared ones, and a timestamp for each timestamp field.</summary>
    public static IReadOnlyDictionary<string, FeatureValueType> CsvTypes(DataSourceDefinition source)
    {
        var types = (source.Schema ?? []).ToDictionary(f => f.Name, f => f.Type);
        foreach (var field in TimestampFields(source)) types.TryAdd(field, FeatureValueType.Timestamp);
        return types;
    }

    /// <summary>Throws a 400 listing every problem of <paramref name="columns"/> as <paramref name="source"/>'s data, read by
    /// <paramref name="views"/>.</summary>
    public static void Check(DataSourceDefinition source, IReadOnlyList<FileColumn> columns, IReadOnlyList<FeatureViewDefinition> views)
    {
        var errors = new List<FieldError>();
        var byName = columns.GroupBy(c => c.Name).ToDictionary(g => g.Key, g => g.First());
        string Has() => string.Join(", ", columns.Select(c => c.Name));
        foreach (var field in source.Schema ?? [])
        {
            if (!byName.TryGetValue(field.Name, out var column))
                errors.Add(new FieldError(ColumnField(field.Name),
                    $"is missing: source '{source.Name}' declares it as {field.Type.ToName()} (the file has {Has()})"));
            else if (column.Type is not { } type || !field.Type.CanHold(type))
                errors.Add(new FieldError(ColumnField(field.Name),
                    $"is {column.SqlType} in the file, which source '{source.Name}' declares as {field.Type.ToName()}, " +
                        "a type that cannot hold it"));
        }
        foreach (var field in TimestampFields(source).Where(f => errors.All(e => e.Field != ColumnField(f))))
        {
            var role = field == source.TimestampField ? "timestamp field" : "created timestamp field";
            if (!byName.TryGetValue(field, out var column))
                errors.Add(new FieldError(ColumnField(field),
                    $"is missing: it is the {role} of source '{source.Name}' (the file has {Has()})"));
            else if (column.Type != FeatureValueType.Timestamp)
                errors.Add(new FieldError(ColumnField(field),
                    $"is {column.SqlType}, not a timestamp: the {role} of source '{source.Name}' " +
                        "must be TIMESTAMP, TIMESTAMPTZ or DATE in a Parquet file"));
        }
        if (source.Schema is not { Count: > 0 } && views.Count > 0)
        {
            // Columns no feature type fits are left out, as when the apply reads a Parquet footer (SourceSchemaReader).
            var fields = columns.Where(c => c.Type is not null).Select(c => new SourceField(c.Name, c.Type!.Value)).ToList();
            using var sql = new SqlChecker();
            var checks = new SchemaChecks(errors);
            foreach (var view in views)
                checks.CheckView(sql, view, fields, "the uploaded file", ViewField(view.Name), ViewField(view.Name));
        }
        if (errors.Count > 0) throw FieldErrors.Invalid(errors.Distinct());
    }

    private static IEnumerable<string> TimestampFields(DataSourceDefinition source) =>
        new[] { source.TimestampField, source.CreatedTimestampField }.OfType<string>();
}
