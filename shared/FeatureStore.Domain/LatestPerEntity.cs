namespace FeatureStore.Domain;

/// <summary>
/// Keeps, per entity key, the newest row offered (by <see cref="RowTime"/>). On a full tie the row
/// offered later wins, so a rewrite of identical data is harmless and the source order decides.
/// </summary>
public sealed class LatestPerEntity<TRow>
{
    private readonly Dictionary<string, (RowTime Time, TRow Row)> _latest = new(StringComparer.Ordinal);

    public int Count => _latest.Count;

    public void Offer(string entityKey, RowTime time, TRow row)
    {
        ref var slot = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(_latest, entityKey, out var exists);
        if (!exists || time >= slot.Time) slot = (time, row);
    }

    public IEnumerable<(string EntityKey, RowTime Time, TRow Row)> Rows =>
        _latest.Select(pair => (pair.Key, pair.Value.Time, pair.Value.Row));
}
