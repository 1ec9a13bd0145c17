using DuckDB.NET.Data;
using FeatureStore.Domain;
using FeatureStore.PipelineWorker.Materialization;
using FeatureStore.Storage.Objects;
using FeatureStore.Storage.Online;

namespace FeatureStore.IntegrationTests.Pipeline;

/// <summary>The materializer on the embedded backends (a local folder, SQLite), with ways to look at what it wrote.</summary>
public sealed class LocalPipeline
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), $"fs-pipeline-{Guid.NewGuid():N}");

    public LocalFolderObjectStore Objects { get; }
    public SqliteOnlineStore Online { get; }
    public FeatureViewMaterializer Materializer { get; }

    public LocalPipeline(long rowsPerSlice = 2_000_000, long offlineRowsPerFile = 1_000_000)
    {
        Objects = new LocalFolderObjectStore(Path.Combine(_root, "objects"));
        Online = new SqliteOnlineStore(Path.Combine(_root, "online.db"));
        var options = new WorkerOptions
        {
            WorkDirectory = Path.Combine(_root, "work"), CacheDirectory = Path.Combine(_root, "cache"), Threads = 2,
            RowsPerSlice = rowsPerSlice, OfflineRowsPerFile = offlineRowsPerFile,
        };
        Materializer = new FeatureViewMaterializer(new SourceCache(Objects, options), new OnlineExport(Online, options),
            new OfflineExport(Objects, options), options);
    }

    public Task PutAsync<T>(string key, IEnumerable<T> rows) where T : new() =>
        SourceData.ToParquetAsync(rows)
            .ContinueWith(t => Objects.PutAsync(key, new MemoryStream(t.Result), CancellationToken.None)).Unwrap();

    public Task<MaterializationOutcome> RunAsync(FeatureViewDefinition view, TimeWindow window, int partition = 0, int partitions = 1) =>
        Materializer.RunAsync(view, window, new RunTarget(Guid.NewGuid(), partition, partitions), null,
            TestContext.Current.CancellationToken);

    /// <summary>Every row of the given offline files, as (customer, event time) → named values.</summary>
    public List<Dictionary<string, object?>> OfflineRows(IEnumerable<FeatureStore.Contracts.OfflineFile> files, params string[] columns)
    {
        var paths = files.Select(f => Objects.LocalPath(f.Path)!).ToList();
        if (paths.Count == 0) return [];
        using var connection = new DuckDBConnection("DataSource=:memory:");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"""
            SET TimeZone = 'UTC';
            SELECT customer_id, event_timestamp, {string.Join(", ", columns)}
            FROM read_parquet([{string.Join(", ", paths.Select(p => $"'{p}'"))}])
            ORDER BY customer_id, event_timestamp, {string.Join(", ", columns)}
            """;
        using var reader = command.ExecuteReader();
        var rows = new List<Dictionary<string, object?>>();
        while (reader.Read())
            rows.Add(Enumerable.Range(0, reader.FieldCount).ToDictionary(reader.GetName,
                i => reader.IsDBNull(i) ? null : reader.GetValue(i)));
        return rows;
    }

    /// <summary>The online entry of each customer (null when absent).</summary>
    public async Task<Dictionary<long, OnlineEntry?>> OnlineAsync(string view, params long[] customers)
    {
        var entries = await Online.ReadAsync("default",
            customers.Select(c => EntityKey.Single("customer_id", c.ToString())).ToList(), [view],
            TestContext.Current.CancellationToken);
        return customers.Zip(entries).ToDictionary(p => p.First, p => p.Second);
    }
}

/// <summary>Rows of a hand-made activity source.</summary>
#pragma warning disable IDE1006
public sealed class ActivityRow
{
    public long customer_id { get; set; }
    public DateTime event_timestamp { get; set; }
    public DateTime? created { get; set; }
    public double? amount { get; set; }
    public string? kind { get; set; }
}
#pragma warning restore IDE1006
