using System.Diagnostics;
using FeatureStore.Domain;
using FeatureStore.Storage.Objects;
using FeatureStore.Storage.Online;

namespace FeatureStore.PipelineWorker.Materialization;

public sealed record MaterializationOutcome(long RowsRead, long RowsInWindow, long RowsWritten, long OnlineKeysWritten, TimeSpan Duration);

/// <summary>
/// Materializes one view for a window: reads its source, keeps the latest row per entity among the
/// rows whose event time is in the window (DESIGN.md: window inclusive, greatest event time then
/// greatest created time), and writes those rows to the online store.
/// </summary>
public sealed class FeatureViewMaterializer(IObjectStore objects, IOnlineStore online)
{
    public static readonly ActivitySource Telemetry = new("FeatureStore.PipelineWorker");

    public async Task<MaterializationOutcome> RunAsync(FeatureViewDefinition view, TimeWindow window, CancellationToken cancellationToken)
    {
        using var activity = Telemetry.StartActivity("materialize");
        activity?.SetTag("featurestore.view", view.Name);
        activity?.SetTag("featurestore.version", view.Version);
        var clock = Stopwatch.StartNew();

        Stream source;
        try { source = await objects.OpenReadAsync(view.Source.Path, cancellationToken); }
        catch (StoredObjectNotFoundException e) { throw new MaterializationException($"the source '{view.Source.Path}' does not exist in the object store", e); }

        var latest = new LatestPerEntity<object?[]>();
        long rowsRead = 0, rowsInWindow = 0;
        await using (source)
        await using (var reader = await ParquetSourceReader.OpenAsync(source, cancellationToken))
        {
            var joinKeys = view.JoinKeys;
            var columns = joinKeys.Select(k => k.Name).Append(view.Source.TimestampField).ToList();
            var timestampColumn = joinKeys.Count;
            var createdColumn = view.Source.CreatedTimestampField is { } created ? columns.Count : -1;
            if (createdColumn >= 0) columns.Add(view.Source.CreatedTimestampField!);
            var firstFeature = columns.Count;
            columns.AddRange(view.Features.Select(f => f.Name));

            await foreach (var batch in reader.ReadAsync(columns, cancellationToken))
            {
                rowsRead += batch.RowCount;
                for (var row = 0; row < batch.RowCount; row++)
                {
                    if (FeatureValues.ToTimestamp(batch.Columns[timestampColumn][row]) is not { } eventTime || !window.Contains(eventTime)) continue;
                    if (KeyOf(joinKeys, batch, row) is not { } key) continue; // a row without a usable key describes no entity
                    rowsInWindow++;
                    var time = new RowTime(eventTime, createdColumn >= 0 ? FeatureValues.ToTimestamp(batch.Columns[createdColumn][row]) : null);
                    latest.Offer(key.Text, time, ReadFeatures(view, batch, firstFeature, row));
                }
            }
        }

        var names = view.Features.Select(f => f.Name).ToList();
        var rows = latest.Rows.Select(r => new OnlineRow(new EntityKey(r.EntityKey), r.Time, r.Row));
        var keysWritten = await online.WriteAsync(view.Project, view.Name, names, rows, view.Ttl, cancellationToken);
        activity?.SetTag("featurestore.rows_read", rowsRead);
        return new MaterializationOutcome(rowsRead, rowsInWindow, latest.Count, keysWritten, clock.Elapsed);
    }

    private static EntityKey? KeyOf(IReadOnlyList<JoinKey> joinKeys, ColumnBatch batch, int row)
    {
        var parts = new KeyValuePair<string, string>[joinKeys.Count];
        for (var k = 0; k < parts.Length; k++)
        {
            if (EntityKey.ValueText(joinKeys[k].Type, batch.Columns[k][row]) is not { } text) return null;
            parts[k] = new(joinKeys[k].Name, text);
        }
        return EntityKey.Compose(parts);
    }

    private static object?[] ReadFeatures(FeatureViewDefinition view, ColumnBatch batch, int firstFeature, int row)
    {
        var values = new object?[view.Features.Count];
        for (var f = 0; f < values.Length; f++)
        {
            try { values[f] = FeatureValues.Normalize(view.Features[f].Type, batch.Columns[firstFeature + f][row]); }
            catch (FormatException e)
            {
                throw new MaterializationException($"column '{view.Features[f].Name}' does not match its declared type: {e.Message}", e);
            }
        }
        return values;
    }
}
