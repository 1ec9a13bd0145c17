using System.Text.Json;
using DuckDB.NET.Data;
using FeatureStore.Domain;
using FeatureStore.Storage.Objects;
using FeatureStore.Storage.Online;

namespace FeatureStore.PipelineWorker.Materialization;

/// <summary>
/// Keeps online equal to offline when a run's window lost rows (docs/semantics.md: after any sequence of runs, every entity's
/// online value is its offline point-in-time value at the last materialized end). The run's own writes only ever move an
/// entity forward; an entity whose newest row in the window, as the history shows it before this run, is newer than what
/// the run computed for it (or has no row in the window any more) may hold a row online that no longer exists. For each
/// such entity of this partition the store is asked — only while it still holds exactly that row — to take the new newest
/// row instead, or the newest before the window, or to forget the value. Views kept only online have no history to compare.
/// </summary>
public sealed class OnlineRetraction(IObjectStore objects, IOnlineStore online, IDefinitionCatalog? catalog = null)
{
    private const string Previous = "previous";

    public async Task<long> RunAsync(DuckDbRun run, MaterializationSql sql, FeatureViewDefinition view, TimeWindow window,
        IReadOnlyList<(string Name, string Type)> sourceColumns, CancellationToken cancellationToken)
    {
        if (catalog is null || !view.Offline) return 0;
        var snapshot = await catalog.OfflineSnapshotAsync(view.Project, view.Name, view.Version, cancellationToken);
        var inWindow = snapshot.Files.Where(f => f.MaxEventTime >= window.Start && f.MinEventTime <= window.End).ToList();
        if (inWindow.Count == 0) return 0;
        run.Execute($"CREATE TEMP VIEW {Previous} AS {await RowsAsync(run, inWindow, "previous", cancellationToken)}");
        var keyTypes = view.JoinKeys.ToDictionary(k => k.Name, k => sourceColumns.First(c => c.Name == k.Name).Type);
        run.Execute(sql.RetractionCandidates(Previous, keyTypes));
        if (run.Scalar<long>($"SELECT count(*) FROM {MaterializationSql.Candidates}") == 0) return 0;

        // Entities with no row left in the window fall back to their newest row before it, which older files hold.
        var before = snapshot.Files.Where(f => f.MinEventTime < window.Start).ToList();
        var older = before.Count == 0 ? null : await RowsAsync(run, before, "older", cancellationToken);
        var retractions = new List<Retraction>();
        using (var command = run.Command(sql.Retractions(older)))
        using (var reader = command.ExecuteReader())
        {
            var keys = view.JoinKeys;
            var at = keys.Count + 2; // after the keys and the expected row's times: the replacement's times, then its features
            var writers = view.Features.Select((f, i) => OnlineExport.ValueWriter(f.Type, at + 2 + i)).ToArray();
            var names = view.Features.Select(f => JsonEncodedText.Encode(f.Name)).ToArray();
            var encoder = new OnlinePayloadEncoder();
            while (reader.Read())
            {
                var expected = TimeAt(reader, keys.Count);
                byte[]? payload = null;
                DateTimeOffset? expires = null;
                if (!reader.IsDBNull(at))
                {
                    var time = TimeAt(reader, at);
                    payload = encoder.Encode(time, json =>
                    {
                        for (var f = 0; f < writers.Length; f++)
                        {
                            json.WritePropertyName(names[f]);
                            writers[f](reader, json);
                        }
                    });
                    expires = OnlineExpiry.For(time, view.Ttl);
                }
                retractions.Add(new Retraction(OnlineExport.KeyOf(reader, keys), expected, payload, expires));
            }
        }
        return await online.RetractAsync(view.Project, view.Name, retractions, cancellationToken);
    }

    /// <summary>A history's files as one relation of what readers see: each file without the windows later commits replaced.</summary>
    private async Task<string> RowsAsync(DuckDbRun run, IReadOnlyList<CataloguedFile> files,
        string name, CancellationToken cancellationToken)
    {
        var parts = new List<string>();
        for (var i = 0; i < files.Count; i++)
        {
            // The run may read only its own directory: the files come into it.
            var local = Path.Combine(run.Directory, $"{name}-{i}.parquet");
            await objects.DownloadAsync(files[i].Path, local, cancellationToken);
            parts.Add($"SELECT * FROM read_parquet({DuckDbRun.Literal(local)}) " +
                      $"WHERE {OfflineVisibility.SqlKept($"CAST({FeatureNames.EventTimestamp} AS TIMESTAMPTZ)", files[i].Masks ?? [])}");
        }
        return string.Join(" UNION ALL BY NAME ", parts);
    }

    private static RowTime TimeAt(DuckDBDataReader reader, int ordinal) =>
        new(FeatureValues.ToTimestamp(reader.GetValue(ordinal))!.Value,
            reader.IsDBNull(ordinal + 1) ? null : FeatureValues.ToTimestamp(reader.GetValue(ordinal + 1)));
}
