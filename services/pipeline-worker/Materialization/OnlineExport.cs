using System.Text.Json;
using System.Threading.Channels;
using DuckDB.NET.Data;
using FeatureStore.Domain;
using FeatureStore.Storage.Online;

namespace FeatureStore.PipelineWorker.Materialization;

/// <summary>
/// Streams the newest row of each entity from DuckDB into the online store: rows are encoded straight
/// from the reader (no per-value boxing for scalars) into batches, and a few batches are written
/// while the next are read, so memory stays flat however large the input.
/// </summary>
public sealed class OnlineExport(IOnlineStore online, WorkerOptions options)
{
    private const int BatchesInFlight = 4;

    public async Task<(long Rows, long Written)> WriteAsync(DuckDbRun run, MaterializationSql sql, FeatureViewDefinition view,
        Action<long> progress, CancellationToken cancellationToken)
    {
        var batches = Channel.CreateBounded<List<EncodedRow>>(BatchesInFlight);
        var writer = Task.Run(async () =>
        {
            long written = 0, rows = 0;
            await foreach (var batch in batches.Reader.ReadAllAsync(cancellationToken))
            {
                written += await online.WriteAsync(view.Project, view.Name, batch, cancellationToken);
                progress(rows += batch.Count);
            }
            return written;
        }, cancellationToken);

        long read = 0;
        try
        {
            using var command = run.Command(sql.LatestPerEntity());
            using var reader = command.ExecuteReader();
            var keys = view.JoinKeys;
            var writers = view.Features.Select((f, i) => ValueWriter(f.Type, keys.Count + 2 + i)).ToArray();
            var names = view.Features.Select(f => JsonEncodedText.Encode(f.Name)).ToArray();
            var encoder = new OnlinePayloadEncoder();
            var batch = new List<EncodedRow>(options.OnlineBatchSize);
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
            if (batch.Count > 0) await batches.Writer.WriteAsync(batch, cancellationToken);
        }
        finally
        {
            batches.Writer.TryComplete();
        }
        return (read, await writer);
    }

    private static EntityKey KeyOf(DuckDBDataReader reader, IReadOnlyList<JoinKey> keys)
    {
        if (keys.Count == 1) return EntityKey.Single(keys[0].Name, EntityKey.ValueText(keys[0].Type, reader.GetValue(0))!);
        return EntityKey.Compose(keys.Select((k, i) => new KeyValuePair<string, string>(k.Name, EntityKey.ValueText(k.Type, reader.GetValue(i))!)));
    }

    /// <summary>Writes column <paramref name="ordinal"/> as JSON in the shapes of <see cref="FeatureValues.WriteJson"/>.</summary>
    private static Action<DuckDBDataReader, Utf8JsonWriter> ValueWriter(FeatureValueType type, int ordinal) => type switch
    {
        FeatureValueType.Int32 => (r, w) => { if (r.IsDBNull(ordinal)) w.WriteNullValue(); else w.WriteNumberValue(r.GetInt32(ordinal)); },
        FeatureValueType.Int64 => (r, w) => { if (r.IsDBNull(ordinal)) w.WriteNullValue(); else w.WriteNumberValue(r.GetInt64(ordinal)); },
        FeatureValueType.Float64 => (r, w) =>
        {
            if (r.IsDBNull(ordinal)) { w.WriteNullValue(); return; }
            var value = r.GetDouble(ordinal);
            if (double.IsFinite(value)) w.WriteNumberValue(value); else FeatureValues.WriteJson(w, value);
        },
        FeatureValueType.Bool => (r, w) => { if (r.IsDBNull(ordinal)) w.WriteNullValue(); else w.WriteBooleanValue(r.GetBoolean(ordinal)); },
        FeatureValueType.String => (r, w) => { if (r.IsDBNull(ordinal)) w.WriteNullValue(); else w.WriteStringValue(r.GetString(ordinal)); },
        _ => (r, w) => FeatureValues.WriteJson(w, r.IsDBNull(ordinal) ? null : FeatureValues.Normalize(type, Unwrap(r.GetValue(ordinal)))),
    };

    // DuckDB hands timestamps with time zone and blobs back in their own shapes.
    private static object? Unwrap(object value) => value switch
    {
        Stream stream => ReadAll(stream),
        _ => value,
    };

    private static byte[] ReadAll(Stream stream)
    {
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
