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
public sealed class OfflinePushWriter(IObjectStore objects, IOfflineCatalogWriter catalog, IOptions<HistoricalOptions> options)
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
                tables.Add(new PushedViewFiles(view.Name, view.Version, files));
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
    private async Task<List<CataloguedFile>> WriteTableAsync(string work, string name,
        IReadOnlyList<(string Name, FeatureValueType Type)> columns,
        string timeColumn, IEnumerable<Func<string, object?>> rows, Func<string, string, string> keyOf, CancellationToken cancellationToken)
    {
        var directory = Path.Combine(work, name);
        var lines = Path.Combine(work, $"{name}.jsonl");
        await using (var stream = File.Create(lines))
        {
            foreach (var row in rows)
            {
                await using (var writer = new Utf8JsonWriter(stream))
                {
                    writer.WriteStartObject();
                    foreach (var column in columns)
                    {
                        writer.WritePropertyName(column.Name);
                        FeatureValues.WriteJson(writer, row(column.Name));
                    }
                    writer.WriteEndObject();
                }
                stream.WriteByte((byte)'\n');
            }
        }

        // Only this writer's own SQL runs here (the pushed values travel as JSON data), so the connection stays unlocked.
        using var connection = DuckDbSandbox.Open();
        // Bytes travel as base64 text; everything else is read as its own type.
        var spec = string.Join(", ",
            columns.Select(c => $"{Literal(c.Name)}: '{(c.Type == FeatureValueType.Bytes ? "VARCHAR" : DuckDbTypes.ToSql(c.Type))}'"));
        var select = string.Join(", ",
            columns.Select(c => c.Type == FeatureValueType.Bytes ? $"from_base64({Q(c.Name)}) AS {Q(c.Name)}" : Q(c.Name)));
        connection.Execute($$"""
            COPY (SELECT {{select}}, strftime({{Q(timeColumn)}}, '%Y-%m-%d') AS __date
                  FROM read_json({{Literal(lines)}}, format = 'newline_delimited', columns = { {{spec}} }))
            TO {{Literal(directory)}} (FORMAT PARQUET, PARTITION_BY (__date), FILENAME_PATTERN '{i}', COMPRESSION zstd)
            """);

        var files = new List<CataloguedFile>();
        foreach (var file in Directory.GetFiles(directory, "*.parquet", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var date = Path.GetFileName(Path.GetDirectoryName(file)!).Split('=', 2)[1];
            using var command = connection.CreateCommand();
            command.CommandText = $"SELECT count(*), min({Q(timeColumn)}), max({Q(timeColumn)}) FROM read_parquet({Literal(file)})";
            using var reader = command.ExecuteReader();
            reader.Read();
            var key = keyOf(date, Path.GetFileName(file));
            var (hash, size) = await objects.PutFileAsync(key, file, cancellationToken);
            files.Add(new CataloguedFile(key, date, reader.GetInt64(0), FeatureValues.ToTimestamp(reader.GetValue(1))!.Value,
                FeatureValues.ToTimestamp(reader.GetValue(2))!.Value, hash, size));
        }
        return files;
    }

    private static string Q(string name) => DuckDbTypes.Quote(name);

    private static string Literal(string text) => DuckDbTypes.Literal(text);
}
