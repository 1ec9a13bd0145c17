using System.Diagnostics;
using FeatureStore.Domain;
using StackExchange.Redis;

namespace FeatureStore.Storage.Online;

/// <summary>
/// Online store on Redis: one hash per entity (<c>fs:{project:entity}</c>), one field per view holding
/// an <see cref="OnlinePayload"/>. Writes go through a script that keeps the newer payload; the hash
/// tag keeps everything about one entity in one Redis Cluster slot.
/// </summary>
public sealed class RedisOnlineStore(IConnectionMultiplexer redis) : IOnlineStore
{
    // Replaces the field only when the stored payload is not newer (first bytes = sortable row time).
    private static readonly LuaScript WriteIfNotOlder = LuaScript.Prepare($$"""
        local current = redis.call('HGET', @key, @field)
        if current and string.sub(current, 1, {{OnlinePayload.TimePrefixLength}}) > string.sub(@payload, 1, {{OnlinePayload.TimePrefixLength}}) then
          return 0
        end
        redis.call('HSET', @key, @field, @payload)
        return 1
        """);

    public static RedisKey KeyOf(string project, EntityKey entity) => $"fs:{{{project}:{entity.Text}}}";

    public async Task<long> WriteAsync(string project, string view, IReadOnlyList<string> featureNames, IEnumerable<OnlineRow> rows, CancellationToken cancellationToken)
    {
        using var activity = StorageTelemetry.StartRedis("online.write", project, view);
        var database = redis.GetDatabase();
        var pending = new List<Task<RedisResult>>();
        long written = 0;
        foreach (var row in rows)
        {
            // Unawaited calls are pipelined by the multiplexer; draining in chunks bounds memory.
            pending.Add(database.ScriptEvaluateAsync(WriteIfNotOlder, new
            {
                key = KeyOf(project, row.Key),
                field = (RedisValue)view,
                payload = (RedisValue)OnlinePayload.Encode(row.Time, featureNames, row.Values),
            }));
            if (pending.Count >= 4096) written += await DrainAsync(pending, cancellationToken);
        }
        written += await DrainAsync(pending, cancellationToken);
        activity?.SetTag("featurestore.keys_written", written);
        return written;
    }

    private static async Task<long> DrainAsync(List<Task<RedisResult>> pending, CancellationToken cancellationToken)
    {
        long written = 0;
        foreach (var result in await Task.WhenAll(pending).WaitAsync(cancellationToken)) written += (long)result;
        pending.Clear();
        return written;
    }

    public async Task<OnlineEntry?[]> ReadAsync(string project, IReadOnlyList<EntityKey> keys, IReadOnlyList<string> views, CancellationToken cancellationToken)
    {
        using var activity = StorageTelemetry.StartRedis("online.read", project, view: null);
        var database = redis.GetDatabase();
        var fields = views.Select(v => (RedisValue)v).ToArray();
        // One batch: every HMGET leaves in a single write, so the read is one round trip.
        var batch = database.CreateBatch();
        var reads = keys.Select(k => batch.HashGetAsync(KeyOf(project, k), fields)).ToArray();
        batch.Execute();
        var answers = await Task.WhenAll(reads).WaitAsync(cancellationToken);
        var entries = new OnlineEntry?[keys.Count * views.Count];
        for (var k = 0; k < answers.Length; k++)
            for (var v = 0; v < views.Count; v++)
                if (answers[k][v] is { IsNull: false } payload)
                    entries[k * views.Count + v] = OnlinePayload.Decode(((ReadOnlyMemory<byte>)payload).Span);
        activity?.SetTag("featurestore.entities", keys.Count);
        return entries;
    }
}
