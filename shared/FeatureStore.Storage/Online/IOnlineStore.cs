using System.Text.Json;
using FeatureStore.Domain;

namespace FeatureStore.Storage.Online;

/// <summary>One entity's latest values of one view, ready to be written.</summary>
public sealed record OnlineRow(EntityKey Key, RowTime Time, IReadOnlyList<object?> Values);

/// <summary>
/// One entity's values of one view as stored (<see cref="OnlinePayload"/>), and when the store may forget
/// them (null: never).
/// </summary>
public readonly record struct EncodedRow(EntityKey Key, byte[] Payload, DateTimeOffset? ExpiresAt);

/// <summary>
/// A correction of one entity's value of one view, for when the row it holds no longer exists (its source row was deleted
/// and its window materialized again): applied only while the store still holds the row of time <see cref="Expected"/>,
/// replacing it with <see cref="Replacement"/> (an older row, as encoded rows are) or, when there is none, removing it.
/// </summary>
public readonly record struct Retraction(EntityKey Key, RowTime Expected, byte[]? Replacement, DateTimeOffset? ExpiresAt);

/// <summary>What the online store holds for one entity and view: when the row happened, and its values by feature name.</summary>
public sealed record OnlineEntry(RowTime Time, JsonElement Values)
{
    public bool TryGetValue(string feature, out JsonElement value) => Values.TryGetProperty(feature, out value);
}

/// <summary>
/// The low-latency store of the latest feature values per entity. A write never replaces a value
/// with an older one (only a retraction of a row that no longer exists may); a read of many entities and views is one round trip.
/// </summary>
public interface IOnlineStore
{
    /// <summary>Writes encoded rows of one view; returns how many changed (a row older than the stored one is skipped).</summary>
    Task<long> WriteAsync(string project, string view, IReadOnlyList<EncodedRow> rows, CancellationToken cancellationToken);

    /// <summary>Applies each retraction whose entity still holds exactly its expected row; returns how many were applied.</summary>
    Task<long> RetractAsync(string project, string view, IReadOnlyList<Retraction> rows, CancellationToken cancellationToken);

    /// <summary>Reads every (key, view) pair; the answer is key-major: <c>result[k * views.Count + v]</c>, null when absent.</summary>
    Task<OnlineEntry?[]> ReadAsync(string project, IReadOnlyList<EntityKey> keys, IReadOnlyList<string> views,
        CancellationToken cancellationToken);

    /// <summary>
    /// Since when the store has held the project's data: every write leaves a marker that never expires (created once, kept by
    /// later writes), so values that merely expired leave it in place while a store that lost its data (a restart without
    /// persistence, a failover to an empty replica, a flush) loses it too, or holds one made after the loss. Null: no marker.
    /// </summary>
    Task<DateTimeOffset?> MarkedSinceAsync(string project, CancellationToken cancellationToken);
}

public static class OnlineStoreExtensions
{
    /// <summary>Encodes and writes rows of one view in batches; values expire as <see cref="OnlineExpiry"/> says for the view's
    /// TTL.</summary>
    public static async Task<long> WriteAsync(this IOnlineStore store, string project, string view, IReadOnlyList<string> featureNames,
        IEnumerable<OnlineRow> rows, TimeSpan ttl, CancellationToken cancellationToken)
    {
        long written = 0;
        foreach (var chunk in rows.Chunk(4096))
            written += await store.WriteAsync(project, view,
                chunk.Select(r => new EncodedRow(r.Key, OnlinePayload.Encode(r.Time, featureNames, r.Values),
                    OnlineExpiry.For(r.Time, ttl))).ToList(),
                cancellationToken);
        return written;
    }
}
