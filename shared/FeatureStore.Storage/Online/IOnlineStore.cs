using System.Text.Json;
using FeatureStore.Domain;

namespace FeatureStore.Storage.Online;

/// <summary>One entity's latest values of one view, ready to be written.</summary>
public sealed record OnlineRow(EntityKey Key, RowTime Time, IReadOnlyList<object?> Values);

/// <summary>What the online store holds for one entity and view: when the row happened, and its values by feature name.</summary>
public sealed record OnlineEntry(RowTime Time, JsonElement Values)
{
    public bool TryGetValue(string feature, out JsonElement value) => Values.TryGetProperty(feature, out value);
}

/// <summary>
/// The low-latency store of the latest feature values per entity. A write never replaces a value
/// with an older one; a read of many entities and views is one round trip.
/// </summary>
public interface IOnlineStore
{
    /// <summary>Writes rows of one view; returns how many entity keys changed (older rows are skipped).</summary>
    Task<long> WriteAsync(string project, string view, IReadOnlyList<string> featureNames, IEnumerable<OnlineRow> rows, CancellationToken cancellationToken);

    /// <summary>Reads every (key, view) pair; the answer is key-major: <c>result[k * views.Count + v]</c>, null when absent.</summary>
    Task<OnlineEntry?[]> ReadAsync(string project, IReadOnlyList<EntityKey> keys, IReadOnlyList<string> views, CancellationToken cancellationToken);
}
