using System.Text.Json;
using FeatureStore.Api;
using FeatureStore.Domain;

namespace FeatureStore.FeatureApi.Push;

/// <summary>
/// Pushed rows checked against the push source and the views that read it: every row has the join keys of
/// every view and the source's timestamp field, every value has its declared type, and no row carries a
/// column nobody declared, and every feature keeps its view's validation rules (<see cref="FieldRuleChecks"/>):
/// a value that breaks one is refused, not dropped as materialization drops it, since the pusher is there to fix
/// it. A missing or null feature takes its default (<see cref="ValueOf"/>). Values are normalised to their CLR
/// types (<see cref="FeatureValues"/>).
/// </summary>
public sealed class PushedRows
{
    public DataSourceDefinition Source { get; }
    public IReadOnlyList<Dictionary<string, object?>> Rows { get; }
    public IReadOnlyDictionary<string, FeatureValueType> Columns { get; }

    private PushedRows(DataSourceDefinition source, IReadOnlyList<Dictionary<string, object?>> rows,
        IReadOnlyDictionary<string, FeatureValueType> columns)
    {
        Source = source;
        Rows = rows;
        Columns = columns;
    }

    public RowTime TimeOf(Dictionary<string, object?> row) => new((DateTimeOffset)row[Source.TimestampField]!,
        Source.CreatedTimestampField is { } created && row.GetValueOrDefault(created) is DateTimeOffset c ? c : null);

    /// <summary>
    /// Whether two rows share <paramref name="view"/>'s keys and event time as the offline store keeps it (to the microsecond),
    /// said of the view's files (<see cref="CataloguedFile.EventTies"/>); null, not checked, for a source without created times,
    /// whose readers need no tie-break.
    /// </summary>
    public bool? EventTies(FeatureViewDefinition view)
    {
        if (Source.CreatedTimestampField is null) return null;
        var seen = new HashSet<(EntityKey, DateTimeOffset)>();
        foreach (var row in Rows)
            if (!seen.Add((KeyOf(view, row), Coverage.Truncate(TimeOf(row).EventTime)))) return true;
        return false;
    }

    /// <summary>A row's entity under <paramref name="view"/>'s join keys (every row has them: <see cref="Check"/>).</summary>
    public static EntityKey KeyOf(FeatureViewDefinition view, Dictionary<string, object?> row) =>
        EntityKey.Compose(view.JoinKeys.Select(k => KeyValuePair.Create(k.Name, EntityKey.ValueText(k.Type, row[k.Name])!)));

    /// <summary>A feature's value in a row as the view stores it: the pushed value, or the feature's default.</summary>
    public static object? ValueOf(Dictionary<string, object?> row, FeatureField feature) =>
        row.GetValueOrDefault(feature.Name) ?? FieldRuleChecks.DefaultValue(feature);

    public static PushedRows Check(DataSourceDefinition source, IReadOnlyList<FeatureViewDefinition> views,
        IReadOnlyList<Dictionary<string, JsonElement>> rows)
    {
        var columns = new Dictionary<string, FeatureValueType>(StringComparer.Ordinal);
        foreach (var field in source.Schema ?? []) columns.TryAdd(field.Name, field.Type);
        foreach (var key in views.SelectMany(v => v.JoinKeys)) columns.TryAdd(key.Name, key.Type);
        foreach (var feature in views.SelectMany(v => v.Features)) columns.TryAdd(feature.Name, feature.Type);
        columns[source.TimestampField] = FeatureValueType.Timestamp;
        if (source.CreatedTimestampField is { } created) columns[created] = FeatureValueType.Timestamp;
        var required = views.SelectMany(v => v.JoinKeys).Select(k => k.Name).Append(source.TimestampField)
            .ToHashSet(StringComparer.Ordinal);

        var errors = new List<FieldError>();
        var parsed = new List<Dictionary<string, object?>>(rows.Count);
        for (var i = 0; i < rows.Count && errors.Count < 100; i++)
        {
            var row = new Dictionary<string, object?>(StringComparer.Ordinal);
            foreach (var (name, json) in rows[i])
            {
                if (!columns.TryGetValue(name, out var type))
                    errors.Add(new FieldError($"rows[{i}].{name}",
                        $"is not a field of push source '{source.Name}' nor a feature of a view reading it"));
                else if (!FeatureValues.TryReadJson(type, json, out var value))
                    errors.Add(new FieldError($"rows[{i}].{name}", $"must be a {type.ToName()}"));
                else row[name] = value;
            }
            foreach (var name in required.Where(n => row.GetValueOrDefault(n) is null && !errors.Any(e => e.Field == $"rows[{i}].{n}")))
                errors.Add(new FieldError($"rows[{i}].{name}",
                    name == source.TimestampField ? "is required: the row's event time" : "is required: a join key"));
            foreach (var view in views)
                foreach (var feature in view.Features.Where(f => f.Rules is not null && !errors.Any(e => e.Field == $"rows[{i}].{f.Name}")))
                    if (FieldRuleChecks.Broken(feature, ValueOf(row, feature)) is var (rule, message))
                        errors.Add(new FieldError($"rows[{i}].{feature.Name}", $"{message} (rule '{rule}' of view '{view.Name}')"));
            parsed.Add(row);
        }
        if (errors.Count > 0) throw FieldErrors.Invalid(errors);
        return new PushedRows(source, parsed, columns);
    }
}
