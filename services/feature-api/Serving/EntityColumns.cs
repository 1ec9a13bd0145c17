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
    // Per read of the selection (FeatureSelection.Reads), one key per row.
    private readonly EntityKey[][] _keys;

    public int RowCount { get; }

    public IReadOnlyDictionary<string, List<JsonElement>> Columns { get; }

    private EntityColumns(IReadOnlyDictionary<string, List<JsonElement>> columns, int rowCount, int reads)
    {
        Columns = columns;
        RowCount = rowCount;
        _keys = new EntityKey[reads][];
    }

    /// <summary>The entity keys of read <paramref name="read"/> of the selection (<see cref="FeatureSelection.Reads"/>), by row.</summary>
    public EntityKey[] Keys(int read) => _keys[read];

    /// <summary>How many entity rows a request sends: its first column's count (every column has as many once checked; the
    /// validator refuses a request without columns). Without LINQ: on the hot path.</summary>
    public static int RowsOf(IReadOnlyDictionary<string, List<JsonElement>> entities)
    {
        foreach (var column in entities.Values) return column.Count;
        return 0;
    }

    public static EntityColumns Check(FeatureSelection selection, IReadOnlyDictionary<string, List<JsonElement>> entities, string field)
    {
        var rowCount = RowsOf(entities);
        var reads = selection.Reads;
        var columns = new EntityColumns(entities, rowCount, reads.Count);
        List<FieldError>? errors = null;
        var required = selection.RequiredColumns();
        foreach (var (name, type) in required)
        {
            if (!entities.TryGetValue(name, out var values))
            {
                var needing = selection.Views.Where(v => v.JoinKeys.Any(k => k.Name == name)).Select(v => $"feature view '{v.Name}'")
                    .Concat(selection.OnDemandViews.Where(v => v.RequestFields.Any(f => f.Name == name))
                        .Select(v => $"on-demand view '{v.Name}'"));
                (errors ??= []).Add(new FieldError(field, $"has no '{name}' column, needed by {string.Join(", ", needing.Distinct())}"));
                continue;
            }
            var joinKey = selection.IsJoinKey(name);
            for (var row = 0; row < values.Count; row++)
                if (joinKey ? EntityKey.ValueText(type, values[row]) is null : !FeatureValues.TryReadJson(type, values[row], out _))
                {
                    (errors ??= []).Add(new FieldError($"{field}.{name}[{row}]", $"must be a {type.ToName()} (the type of '{name}')"));
                    break;
                }
        }
        if (entities.Count > required.Count || errors is not null)
        {
            foreach (var unused in entities.Keys.Where(k => !required.ContainsKey(k)))
                (errors ??= []).Add(new FieldError($"{field}.{unused}",
                    "is neither a join key of a requested feature view nor a request field of a requested on-demand view"));
            if (errors is not null) throw FieldErrors.Invalid(errors);
        }

        for (var r = 0; r < reads.Count; r++)
        {
            var joinKeys = reads[r].JoinKeys;
            var keys = columns._keys[r] = new EntityKey[rowCount];
            for (var row = 0; row < keys.Length; row++)
                keys[row] = joinKeys is [var only]
                    ? EntityKey.Single(only.Name, EntityKey.ValueText(only.Type, entities[only.Name][row])!)
                    : EntityKey.Compose(joinKeys.Select(
                        k => KeyValuePair.Create(k.Name, EntityKey.ValueText(k.Type, entities[k.Name][row])!)));
        }
        return columns;
    }
}
