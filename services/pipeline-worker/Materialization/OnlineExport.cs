using System.Text.Json;
using System.Threading.Channels;
using DuckDB.NET.Data;
using FeatureStore.Domain;
using FeatureStore.DuckDb;
using FeatureStore.Storage.Online;

namespace FeatureStore.PipelineWorker.Materialization;

/// <summary>
/// Streams the newest row of each entity from DuckDB into the online store, slice by slice: rows are
/// encoded straight from the reader (no per-value boxing for scalars) into batches, and several batches
/// are written while the next are read, so memory stays flat however large the input.
/// </summary>
public sealed class OnlineExport(IOnlineStore online, WorkerOptions options)
{
    public async Task<(long Rows, long Written)> WriteAsync(DuckDbRun run, MaterializationSql sql, FeatureViewDefinition view,
        IReadOnlyList<string> sliceFiles, Action<long> progress, CancellationToken cancellationToken)
    {
        var inFlight = Math.Max(1, options.OnlineWritesInFlight);
        var batches = Channel.CreateBounded<List<EncodedRow>>(inFlight);
        var writer = Task.Run(() => WriteBatchesAsync(view, batches.Reader, inFlight, progress, cancellationToken), cancellationToken);

        long read = 0;
        try
        {
            var keys = view.JoinKeys;
            var writers = view.Features.Select((f, i) => ValueWriter(f.Type, keys.Count + 2 + i)).ToArray();
            var names = view.Features.Select(f => JsonEncodedText.Encode(f.Name)).ToArray();
            var encoder = new OnlinePayloadEncoder();
            var batch = new List<EncodedRow>(options.OnlineBatchSize);
            foreach (var slice in sliceFiles)
            {
                using var command = run.Command(sql.LatestPerEntity(slice));
                using var reader = command.ExecuteReader();
                while (reader.Read())
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    var time = new RowTime(FeatureValues.ToTimestamp(reader.GetValue(keys.Count))!.Value,
                        reader.IsDBNull(keys.Count + 1) ? null : FeatureValues.ToTimestamp(reader.GetValue(keys.Count + 1)));
                    var payload = encoder.Encode(time, json =>
                    {
                        for (var f = 0; f < writers.Length; f++)
                        {
                            json.WritePropertyName(names[f]);
                            writers[f](reader, json);
                        }
                    });
                    batch.Add(new EncodedRow(KeyOf(reader, keys), payload, OnlineExpiry.For(time, view.Ttl)));
                    read++;
                    if (batch.Count < options.OnlineBatchSize) continue;
                    await batches.Writer.WriteAsync(batch, cancellationToken);
                    batch = new List<EncodedRow>(options.OnlineBatchSize);
                }
            }
            if (batch.Count > 0) await batches.Writer.WriteAsync(batch, cancellationToken);
        }
        finally
        {
            batches.Writer.TryComplete();
        }
        return (read, await writer);
    }

    /// <summary>Writes batches as they come, up to <paramref name="inFlight"/> at once; returns how many rows changed.</summary>
    private async Task<long> WriteBatchesAsync(FeatureViewDefinition view, ChannelReader<List<EncodedRow>> batches, int inFlight,
        Action<long> progress, CancellationToken cancellationToken)
    {
        var pending = new List<Task<(long Changed, int Rows)>>(inFlight);
        long written = 0, done = 0;
        async Task<(long Changed, int Rows)> WriteOneAsync(List<EncodedRow> batch) =>
            (await online.WriteAsync(view.Project, view.Name, batch, cancellationToken), batch.Count);
        async Task CompleteOneAsync()
        {
            var finished = await Task.WhenAny(pending);
            pending.Remove(finished);
            var (changed, rows) = await finished;
            written += changed;
            progress(done += rows);
        }
        await foreach (var batch in batches.ReadAllAsync(cancellationToken))
        {
            if (pending.Count == inFlight) await CompleteOneAsync();
            pending.Add(WriteOneAsync(batch));
        }
        while (pending.Count > 0) await CompleteOneAsync();
        return written;
    }

    internal static EntityKey KeyOf(DuckDBDataReader reader, IReadOnlyList<JoinKey> keys)
    {
        if (keys.Count == 1) return EntityKey.Single(keys[0].Name, EntityKey.ValueText(keys[0].Type, reader.GetValue(0))!);
        return EntityKey.Compose(keys.Select((k, i) =>
            new KeyValuePair<string, string>(k.Name, EntityKey.ValueText(k.Type, reader.GetValue(i))!)));
    }

    /// <summary>Writes column <paramref name="ordinal"/> as JSON in the shapes of <see cref="FeatureValues.WriteJson"/>.</summary>
    internal static Action<DuckDBDataReader, Utf8JsonWriter> ValueWriter(FeatureValueType type, int ordinal)
    {
        switch (type)
        {
            case FeatureValueType.Int32:
                return (r, w) => { if (r.IsDBNull(ordinal)) w.WriteNullValue(); else w.WriteNumberValue(r.GetInt32(ordinal)); };
            case FeatureValueType.Int64:
                return (r, w) => { if (r.IsDBNull(ordinal)) w.WriteNullValue(); else w.WriteNumberValue(r.GetInt64(ordinal)); };
            case FeatureValueType.Bool:
                return (r, w) => { if (r.IsDBNull(ordinal)) w.WriteNullValue(); else w.WriteBooleanValue(r.GetBoolean(ordinal)); };
            case FeatureValueType.String:
                return (r, w) => { if (r.IsDBNull(ordinal)) w.WriteNullValue(); else w.WriteStringValue(r.GetString(ordinal)); };
            case FeatureValueType.Float64:
                return (r, w) =>
                {
                    if (r.IsDBNull(ordinal)) { w.WriteNullValue(); return; }
                    var value = r.GetDouble(ordinal);
                    if (double.IsFinite(value)) w.WriteNumberValue(value); else FeatureValues.WriteJson(w, value);
                };
            default:
                return (r, w) =>
                    FeatureValues.WriteJson(w, DuckDbValues.Read(r, ordinal, type));
        }
    }
}
