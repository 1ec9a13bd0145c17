using System.Globalization;
using System.Text;
using System.Text.Json;
using DuckDB.NET.Data;
using FeatureStore.Domain;
using FeatureStore.FeatureApi.Historical;
using FeatureStore.FeatureApi.Infrastructure;
using FeatureStore.Storage.Objects;
using Microsoft.Extensions.Options;

namespace FeatureStore.FeatureApi.Push;

/// <summary>
/// Pushed rows as files of a view version's offline table, laid out as materialization writes them (keys,
/// <c>event_timestamp</c>, <c>created_timestamp</c>, features; one file per event date), uploaded, then
/// catalogued as one commit through the registry. Until that commit no reader sees them.
/// </summary>
public sealed class OfflinePushWriter(IObjectStore objects, IOfflineCatalogWriter catalog, IOptions<HistoricalOptions> options)
{
    public async Task<IReadOnlyList<CataloguedFile>> WriteAsync(string project, FeatureViewDefinition view, PushedRows pushed, Guid pushId,
        CancellationToken cancellationToken)
    {
        var work = Directory.CreateDirectory(Path.Combine(options.Value.WorkDirectory, $"push-{pushId:N}-{view.Name}")).FullName;
        try
        {
            var lines = Path.Combine(work, "rows.jsonl");
            var columns = view.JoinKeys.Select(k => (k.Name, k.Type)).Concat(view.Features.Select(f => (f.Name, f.Type))).ToList();
            await WriteLinesAsync(lines, pushed, view, cancellationToken);

            using var connection = DuckDb.OpenInMemory();
            // Bytes travel as base64 text; everything else is read as its own type.
            var spec = string.Join(", ", columns.Select(c => $"{Literal(c.Name)}: '{(c.Type == FeatureValueType.Bytes ? "VARCHAR" : DuckDbTypes.ToSql(c.Type))}'")
                .Append($"'{FeatureNames.EventTimestamp}': 'TIMESTAMPTZ'").Append($"'{FeatureNames.CreatedTimestamp}': 'TIMESTAMPTZ'"));
            var select = string.Join(", ", view.JoinKeys.Select(k => Q(k.Name))
                .Append(FeatureNames.EventTimestamp).Append(FeatureNames.CreatedTimestamp)
                .Concat(view.Features.Select(f => f.Type == FeatureValueType.Bytes ? $"from_base64({Q(f.Name)}) AS {Q(f.Name)}" : Q(f.Name))));
            var directory = Path.Combine(work, "offline");
            var pattern = Literal($"push-{pushId:N}-{{i}}");
            connection.Execute($$"""
                COPY (SELECT {{select}}, strftime({{FeatureNames.EventTimestamp}}, '%Y-%m-%d') AS date
                      FROM read_json({{Literal(lines)}}, format = 'newline_delimited', columns = { {{spec}} }))
                TO {{Literal(directory)}} (FORMAT PARQUET, PARTITION_BY (date), FILENAME_PATTERN {{pattern}}, COMPRESSION zstd)
                """);

            var files = new List<CataloguedFile>();
            foreach (var file in Directory.GetFiles(directory, "*.parquet", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            {
                var date = Path.GetFileName(Path.GetDirectoryName(file)!).Split('=', 2)[1];
                using var command = connection.CreateCommand();
                command.CommandText = $"SELECT count(*), min({FeatureNames.EventTimestamp}), max({FeatureNames.EventTimestamp}) FROM read_parquet({Literal(file)})";
                using var reader = command.ExecuteReader();
                reader.Read();
                var key = OfflineTables.FileKey(project, view.Name, view.Version, date, Path.GetFileName(file));
                var (hash, size) = await objects.PutFileAsync(key, file, cancellationToken);
                files.Add(new CataloguedFile(key, date, reader.GetInt64(0), FeatureValues.ToTimestamp(reader.GetValue(1))!.Value,
                    FeatureValues.ToTimestamp(reader.GetValue(2))!.Value, hash, size));
            }
            await catalog.CommitPushAsync(project, view.Name, view.Version, pushId, files, cancellationToken);
            return files;
        }
        finally
        {
            try { Directory.Delete(work, recursive: true); }
            catch (IOException) { }
        }
    }

    private static async Task WriteLinesAsync(string path, PushedRows pushed, FeatureViewDefinition view, CancellationToken cancellationToken)
    {
        await using var stream = File.Create(path);
        foreach (var row in pushed.Rows)
        {
            using (var writer = new Utf8JsonWriter(stream))
            {
                writer.WriteStartObject();
                foreach (var key in view.JoinKeys)
                {
                    writer.WritePropertyName(key.Name);
                    FeatureValues.WriteJson(writer, row.GetValueOrDefault(key.Name));
                }
                foreach (var feature in view.Features)
                {
                    writer.WritePropertyName(feature.Name);
                    FeatureValues.WriteJson(writer, PushedRows.ValueOf(row, feature));
                }
                var time = pushed.TimeOf(row);
                writer.WritePropertyName(FeatureNames.EventTimestamp);
                FeatureValues.WriteJson(writer, time.EventTime);
                writer.WritePropertyName(FeatureNames.CreatedTimestamp);
                FeatureValues.WriteJson(writer, time.CreatedTime);
                writer.WriteEndObject();
            }
            stream.WriteByte((byte)'\n');
        }
        await stream.FlushAsync(cancellationToken);
    }

    private static string Q(string name) => DuckDbTypes.Quote(name);

    private static string Literal(string text) => DuckDb.Literal(text);
}
