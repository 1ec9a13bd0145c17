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
    private const int KeysPerCall = 256;
    private bool? _cluster;

    // For each key: replace the field only when the stored payload is not newer (first bytes = sortable
    // row time), then keep the key's expiry at the furthest any of its values needs: a value that never
    // expires (0) makes the key persistent; otherwise the expiry only moves later (PEXPIRETIME, read
    // before the write: -2 no key yet, -1 no expiry). Creating keys dominates Redis's work here, so each
    // key costs three calls at most.
    private static readonly string WriteBatch = $$"""
        local field = ARGV[1]
        local written = 0
        for i = 1, #KEYS do
          local key, payload = KEYS[i], ARGV[2 * i]
          local current = redis.call('HGET', key, field)
          if not current
             or string.sub(current, 1, {{OnlinePayload.TimePrefixLength}})
                <= string.sub(payload, 1, {{OnlinePayload.TimePrefixLength}}) then
            local wanted = tonumber(ARGV[2 * i + 1])
            written = written + 1
            if wanted == 0 then
              redis.call('HSET', key, field, payload)
              redis.call('PERSIST', key)
            else
              local expiry = redis.call('PEXPIRETIME', key)
              redis.call('HSET', key, field, payload)
              if expiry == -2 or (expiry ~= -1 and wanted > expiry) then redis.call('PEXPIREAT', key, wanted) end
            end
          end
        end
        return written
        """;

    // For each key: only while the stored payload's row time is exactly the expected one, replace it (an older
    // row) or, given an empty payload, remove the field. The key's expiry stays: it is only ever the furthest
    // any value needs, and reads judge staleness from event times.
    private static readonly string RetractBatch = $$"""
        local field = ARGV[1]
        local done = 0
        for i = 1, #KEYS do
          local key, expected, payload = KEYS[i], ARGV[2 * i], ARGV[2 * i + 1]
          local current = redis.call('HGET', key, field)
          if current and string.sub(current, 1, {{OnlinePayload.TimePrefixLength}}) == expected then
            if payload == '' then redis.call('HDEL', key, field) else redis.call('HSET', key, field, payload) end
            done = done + 1
          end
        end
        return done
        """;

    public static RedisKey KeyOf(string project, EntityKey entity) => $"fs:{{{project}:{entity.Text}}}";

    /// <summary>The project's marker (<see cref="IOnlineStore.MarkedSinceAsync"/>); never an entity's key, whose tag holds a
    /// colon.</summary>
    public static RedisKey MarkerOf(string project) => $"fs:{{{project}}}:online-since";

    public async Task<long> WriteAsync(string project, string view, IReadOnlyList<EncodedRow> rows, CancellationToken cancellationToken)
    {
        using var activity = StorageTelemetry.StartOnlineStore("online.write", "EVALSHA", project, view);
        // Pipelined with the writes: the marker costs no round trip of its own.
        var marked = redis.GetDatabase().StringSetAsync(MarkerOf(project), DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
            when: When.NotExists);
        var written = await EvaluateAsync(WriteBatch, project, view, rows, r => r.Key,
            r => (r.Payload, r.ExpiresAt?.ToUnixTimeMilliseconds() ?? 0), cancellationToken);
        await marked.WaitAsync(cancellationToken);
        activity?.SetTag("featurestore.keys_written", written);
        return written;
    }

    public async Task<DateTimeOffset?> MarkedSinceAsync(string project, CancellationToken cancellationToken)
    {
        var marker = await redis.GetDatabase().StringGetAsync(MarkerOf(project)).WaitAsync(cancellationToken);
        return !marker.IsNull && marker.TryParse(out long milliseconds) ? DateTimeOffset.FromUnixTimeMilliseconds(milliseconds) : null;
    }

    public async Task<long> RetractAsync(string project, string view, IReadOnlyList<Retraction> rows, CancellationToken cancellationToken)
    {
        using var activity = StorageTelemetry.StartOnlineStore("online.retract", "EVALSHA", project, view);
        return await EvaluateAsync(RetractBatch, project, view, rows, r => r.Key,
            r => (r.Expected.ToSortableText(), r.Replacement ?? []), cancellationToken);
    }

    /// <summary>
    /// Runs a per-key script over the rows in batches (<c>ARGV[1]</c> the view, then two arguments per key), the calls issued
    /// together so the multiplexer pipelines them; answers the sum of what the calls return.
    /// </summary>
    private async Task<long> EvaluateAsync<T>(string script, string project, string view, IReadOnlyList<T> rows, Func<T, EntityKey> keyOf,
        Func<T, (RedisValue First, RedisValue Second)> argumentsOf, CancellationToken cancellationToken)
    {
        var database = redis.GetDatabase();
        var calls = Batches(project, rows, keyOf).Select(batch =>
        {
            var keys = new RedisKey[batch.Count];
            var values = new RedisValue[1 + 2 * batch.Count];
            values[0] = view;
            for (var i = 0; i < batch.Count; i++)
            {
                keys[i] = KeyOf(project, keyOf(batch[i]));
                (values[1 + 2 * i], values[2 + 2 * i]) = argumentsOf(batch[i]);
            }
            return database.ScriptEvaluateAsync(script, keys, values);
        }).ToList();
        long total = 0;
        foreach (var result in await Task.WhenAll(calls).WaitAsync(cancellationToken)) total += (long)result;
        return total;
    }

    /// <summary>Rows in groups one script call may touch: any keys on a single server, keys of one hash slot on a cluster.</summary>
    private IEnumerable<List<T>> Batches<T>(string project, IReadOnlyList<T> rows, Func<T, EntityKey> keyOf)
    {
        _cluster ??= redis.GetServers().Any(s => s.ServerType == ServerType.Cluster);
        if (_cluster == false)
            return rows.Chunk(KeysPerCall).Select(c => c.ToList());
        return rows.GroupBy(r => redis.HashSlot(KeyOf(project, keyOf(r)))).SelectMany(g => g.Chunk(KeysPerCall).Select(c => c.ToList()));
    }

    public async Task<OnlineEntry?[]> ReadAsync(string project, IReadOnlyList<EntityKey> keys, IReadOnlyList<string> views,
        CancellationToken cancellationToken)
    {
        using var activity = StorageTelemetry.StartOnlineStore("online.read", "HMGET", project, view: null);
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
