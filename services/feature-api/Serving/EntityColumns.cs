using System.Text.Json;
using FeatureStore.Api;
using FeatureStore.Domain;

namespace FeatureStore.FeatureApi.Serving;

/// <summary>
/// The entity columns of an online request, checked against what the selection needs: every join key of
/// every view read and every request field of every on-demand view, each value of the declared type,
/// and nothing else. Turns the key columns into online-store keys, one per view key set and row.
/// </summary>
public sealed class EntityColumns
{
    private readonly Dictionary<string, EntityKey[]> _keys = new(StringComparer.Ordinal);

    public int RowCount { get; }

    public IReadOnlyDictionary<string, List<JsonElement>> Columns { get; }

    private readonly FeatureSelection _selection;

    private EntityColumns(FeatureSelection selection, IReadOnlyDictionary<string, List<JsonElement>> columns, int rowCount)
    {
        _selection = selection;
        Columns = columns;
        RowCount = rowCount;
    }

    public EntityKey[] Keys(FeatureViewDefinition view) => _keys[_selection.KeySet(view)];

    public static EntityColumns Check(FeatureSelection selection, IReadOnlyDictionary<string, List<JsonElement>> entities, string field)
    {
        var columns = new EntityColumns(selection, entities, entities.Values.First().Count);
        var errors = new List<FieldError>();
        var required = selection.RequiredColumns();
        foreach (var (name, type) in required)
        {
            if (!entities.TryGetValue(name, out var values))
            {
                var needing = selection.Views.Where(v => v.JoinKeys.Any(k => k.Name == name)).Select(v => $"feature view '{v.Name}'")
                    .Concat(selection.OnDemandViews.Where(v => v.RequestFields.Any(f => f.Name == name))
                        .Select(v => $"on-demand view '{v.Name}'"));
                errors.Add(new FieldError(field, $"has no '{name}' column, needed by {string.Join(", ", needing.Distinct())}"));
                continue;
            }
            for (var row = 0; row < values.Count; row++)
                if (IsJoinKey(selection, name) ? EntityKey.ValueText(type, values[row]) is null
                    : !FeatureValues.TryReadJson(type, values[row], out _))
                {
                    errors.Add(new FieldError($"{field}.{name}[{row}]", $"must be a {type.ToName()} (the type of '{name}')"));
                    break;
                }
        }
        foreach (var unused in entities.Keys.Where(k => !required.ContainsKey(k)))
            errors.Add(new FieldError($"{field}.{unused}",
                "is neither a join key of a requested feature view nor a request field of a requested on-demand view"));
        if (errors.Count > 0) throw FieldErrors.Invalid(errors);

        foreach (var view in selection.Views.DistinctBy(selection.KeySet))
        {
            var keys = new EntityKey[columns.RowCount];
            for (var row = 0; row < keys.Length; row++)
                keys[row] = EntityKey.Compose(
                    view.JoinKeys.Select(k => KeyValuePair.Create(k.Name, EntityKey.ValueText(k.Type, entities[k.Name][row])!)));
            columns._keys[selection.KeySet(view)] = keys;
        }
        return columns;
    }

    private static bool IsJoinKey(FeatureSelection selection, string name) => selection.Views.Any(v => v.JoinKeys.Any(k => k.Name == name));
}
