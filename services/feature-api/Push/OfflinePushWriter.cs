using System.Text.Json;
using FeatureStore.Domain;
using FeatureStore.DuckDb;
using FeatureStore.FeatureApi.Historical;
using FeatureStore.FeatureApi.Infrastructure;
using FeatureStore.Storage.Objects;
using Microsoft.Extensions.Options;

namespace FeatureStore.FeatureApi.Push;

/// <summary>
/// Pushed rows as offline files, one per event date, uploaded, then catalogued as one commit through the registry (until
/// then no reader sees them): the rows as they came into the push source's log (its own columns, so a materialization can
/// compute them again, backfills included), and the rows as each view keeps them in the history its version writes, laid
/// out as materialization writes them (keys, <c>event_timestamp</c>, <c>created_timestamp</c>, features with defaults).
/// </summary>
public sealed class OfflinePushWriter(ParquetTableWriter tables, IOfflineCatalogWriter catalog, IOptions<HistoricalOptions> options)
{
    public async Task<IReadOnlyList<PushedViewFiles>> WriteAsync(string project, IReadOnlyList<FeatureViewDefinition> views,
        PushedRows pushed, Guid pushId,
        CancellationToken cancellationToken)
    {
        var work = Directory.CreateDirectory(Path.Combine(options.Value.WorkDirectory, $"push-{pushId:N}")).FullName;
        try
        {
            var source = pushed.Source;
            var log = await WriteTableAsync(work, "log", pushed.Columns.Select(c => (c.Key, c.Value)).ToList(), source.TimestampField,
                pushed.Rows.Select(row => (Func<string, object?>)(name => row.GetValueOrDefault(name))),
                (date, file) => OfflineTables.PushLogKey(project, source.Name, date, $"push-{pushId:N}-{file}"), cancellationToken);
            var tables = new List<PushedViewFiles>();
            foreach (var view in views)
            {
                var columns = view.JoinKeys.Select(k => (k.Name, k.Type))
                    .Append((FeatureNames.EventTimestamp, FeatureValueType.Timestamp))
                    .Append((FeatureNames.CreatedTimestamp, FeatureValueType.Timestamp))
                    .Concat(view.Features.Select(f => (f.Name, f.Type))).ToList();
                var files = await WriteTableAsync(work, view.Name, columns, FeatureNames.EventTimestamp,
                    pushed.Rows.Select(row => ViewColumns(pushed, view, row)),
                    (date, file) => OfflineTables.FileKey(project, view.Name, view.HistoryVersion, date, $"push-{pushId:N}-{file}"),
                    cancellationToken);
                var ties = pushed.EventTies(view);
                tables.Add(new PushedViewFiles(view.Name, view.Version, files.Select(f => f with { EventTies = ties }).ToList()));
            }
            try { await catalog.CommitPushAsync(project, source.Name, pushId, log, tables, cancellationToken); }
            catch (HttpRequestException e) { throw DefinitionCache.Unreachable(e); }
            return tables;
        }
        finally
        {
            try { Directory.Delete(work, recursive: true); }
            catch (IOException) { }
        }
    }

    /// <summary>A pushed row as a view keeps it: its keys, its times, and each feature's value or default.</summary>
    private static Func<string, object?> ViewColumns(PushedRows pushed, FeatureViewDefinition view, Dictionary<string, object?> row)
    {
        var time = pushed.TimeOf(row);
        return name => name switch
        {
            FeatureNames.EventTimestamp => time.EventTime,
            FeatureNames.CreatedTimestamp => time.CreatedTime,
            _ when view.FindFeature(name) is { } feature => PushedRows.ValueOf(row, feature),
            _ => row.GetValueOrDefault(name),
        };
    }

    /// <summary>Rows (a value per column name) as Parquet files by the date of <paramref name="timeColumn"/>, uploaded under
    /// <paramref name="keyOf"/>.</summary>
    private Task<List<CataloguedFile>> WriteTableAsync(string work, string name,
        IReadOnlyList<(string Name, FeatureValueType Type)> columns, string timeColumn, IEnumerable<Func<string, object?>> rows,
        Func<string, string, string> keyOf, CancellationToken cancellationToken) =>
        tables.WriteAsync(work, name, columns, timeColumn, rows.Select(row => (Action<Utf8JsonWriter>)(writer =>
        {
            foreach (var column in columns)
            {
                writer.WritePropertyName(column.Name);
                FeatureValues.WriteJson(writer, row(column.Name));
            }
        })), keyOf, cancellationToken);
}
