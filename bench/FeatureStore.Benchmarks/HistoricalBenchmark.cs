using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using DuckDB.NET.Data;
using FeatureStore.Client;
using FeatureStore.Testing;

namespace FeatureStore.Benchmarks;

/// <summary>
/// Historical retrieval through the real feature-api (the standalone host as a child process): an entity
/// dataframe of E rows (Parquet upload, Parquet answer) against 3 views of N offline rows each, catalogued in
/// the registry like any materialization output; time and the host's peak memory, beside the plain DuckDB
/// <c>ASOF JOIN</c> of the same files in a fresh process with the same memory limit and threads.
/// </summary>
public static class HistoricalBenchmark
{
    private const int Views = 3;
    private static readonly DateTime Year = new(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    public static async Task RunAsync(BenchmarkOptions options)
    {
        var entityRows = options.Entities > 0 ? options.Entities : 1_000_000;
        var keys = Math.Max(1, entityRows / 2);
        // The files are written straight into the host's local object folder: no S3 server, whatever the shell exports.
        await using var host = await ServiceHost.StandaloneAsync(new Dictionary<string, string> { ["ConnectionStrings__minio"] = "" });
        using var http = new HttpClient { BaseAddress = host.BaseAddress, Timeout = TimeSpan.FromMinutes(30) };
        http.DefaultRequestHeaders.Add(TestCredentials.Header, TestCredentials.AdminKey);
        // Cataloguing files is for the services themselves: the bench writes them as feature-api would, with its credential.
        using var service = TestCredentials.Client(host.BaseAddress, TestCredentials.ServiceKey, TimeSpan.FromMinutes(30));
        var project = $"bench_{Guid.NewGuid():N}"[..14];
        var objects = Path.Combine(host.DataDirectory, "objects");
        Console.WriteLine($"historical: {entityRows:N0} entity rows x {Views} views of {options.Rows:N0} rows x " +
                          $"{options.Features} float64 features, " +
                          $"{keys:N0} customers, {Environment.ProcessorCount} cores, DuckDB memory limit 2GB, " +
                          (!options.Created ? "sources without a created time"
                              : options.Ties ? "sources with a created time, event times to the second (a few ties, found at write)"
                              : "sources with a created time, event times to the microsecond (no ties, checked at write)"));

        using (var store = host.Store()) await ApplyAsync(store, objects, project, options.Features, options.Created);
        var generation = Stopwatch.StartNew();
        var files = new List<string>[Views];
        for (var v = 0; v < Views; v++)
            files[v] = await WriteViewAsync(service, objects, project, $"v{v}", options, keys, seed: v);
        var entities = Path.Combine(host.DataDirectory, "entities.parquet");
        Duck($"""
            SELECT setseed(0.42);
            COPY (SELECT (random() * {keys})::BIGINT AS customer_id,
                         TIMESTAMPTZ '{Year:yyyy-MM-dd} 00:00:00+00' + to_seconds((random() * 365 * 86400)::BIGINT) AS event_timestamp,
                         (random() < 0.2) AS label
                  FROM range({entityRows})) TO '{entities}' (FORMAT PARQUET)
            """);
        Console.WriteLine($"generated and catalogued in {generation.Elapsed.TotalSeconds:F0} s; standalone host RSS before the request " +
            $"{host.ResidentBytes() / 1e6:N0} MB");

        var features = string.Join(",",
            Enumerable.Range(0, Views).SelectMany(v => Enumerable.Range(0, options.Features).Select(f => $"v{v}:f{f}")));
        var answer = Path.Combine(host.DataDirectory, "answer.parquet");
        var ours = Stopwatch.StartNew();
        // Entity times start with the year, the history too: January's rows need December, which nothing covers; allowed, and
        // listed in the answer's header (the coverage check runs either way).
        using (var request = new HttpRequestMessage(HttpMethod.Post,
                   $"api/v1/historical-features?project={project}&fullFeatureNames=true&allowGaps=true&features={features}"))
        {
            request.Content = new StreamContent(File.OpenRead(entities));
            request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/vnd.apache.parquet");
            request.Headers.Accept.ParseAdd("application/vnd.apache.parquet");
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
            if (!response.IsSuccessStatusCode) throw new InvalidOperationException(
                $"historical-features answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
            await using var target = File.Create(answer);
            await response.Content.CopyToAsync(target);
        }
        ours.Stop();
        var answered = Convert.ToInt64(Duck($"SELECT count(*) FROM read_parquet('{answer}')"), CultureInfo.InvariantCulture);
        var hostPeak = host.PeakResidentBytes();

        var manifest = Path.Combine(host.DataDirectory, "manifest.txt");
        await File.WriteAllLinesAsync(manifest, files.Select(f => string.Join('|', f)).Prepend(entities));
        var baseline = ChildRun.Run("historical-baseline", options with { Source = manifest });

        Console.WriteLine();
        Console.WriteLine("retrieval                                    rows     seconds   peak RSS MB   vs baseline");
        Console.WriteLine($"  feature-api (HTTP, Parquet in and out) {answered,10:N0}{ours.Elapsed.TotalSeconds,12:F1}" +
            $"{hostPeak / 1e6,14:N0}{ours.Elapsed.TotalSeconds / baseline.Seconds,13:F2}x");
        Console.WriteLine(
            $"  plain DuckDB ASOF JOIN, same files     {entityRows,10:N0}{baseline.Seconds,12:F1}{baseline.PeakBytes / 1e6,14:N0}");
        Console.WriteLine("  (feature-api's peak is the whole host's: all four services, the retrieval included)");
    }

    /// <summary>In a child process: the plain ASOF JOIN of the manifest's files, written to Parquet.</summary>
    public static void RunBaseline(BenchmarkOptions options)
    {
        var lines = File.ReadAllLines(options.Source ?? throw new ArgumentException("--source is required"));
        var output = Path.Combine(Path.GetDirectoryName(options.Source)!, "baseline.parquet");
        var joins = new StringBuilder();
        var columns = new List<string>();
        for (var v = 0; v < Views; v++)
        {
            var paths = string.Join(", ", lines[v + 1].Split('|').Select(p => $"'{p}'"));
            joins.Append($" ASOF LEFT JOIN read_parquet([{paths}]) v{v} ON e.customer_id = v{v}.customer_id AND e.event_timestamp >= " +
                $"v{v}.event_timestamp");
            columns.AddRange(Enumerable.Range(0, options.Features).Select(f => $"v{v}.f{f} AS v{v}__f{f}"));
        }
        var clock = Stopwatch.StartNew();
        Duck($"""
            SET memory_limit = '2GB';
            SET threads = {Environment.ProcessorCount};
            COPY (SELECT e.*, {string.Join(", ", columns)} FROM read_parquet('{lines[0]}') e {joins})
              TO '{output}' (FORMAT PARQUET, COMPRESSION zstd)
            """);
        ChildRun.Report(clock.Elapsed.TotalSeconds);
    }

    /// <summary>
    /// One view's offline table: monthly files under its history's prefix, then catalogued as one push to the view's push
    /// source through the registry (with a one-row file in the push log, which retrieval never reads). With created times the push
    /// says, as a writer does, whether two rows share a customer and event time (checked over the files): event times to the second
    /// leave a few such ties among 10M rows, to the microsecond none.
    /// </summary>
    private static async Task<List<string>> WriteViewAsync(HttpClient http, string objects, string project, string view,
        BenchmarkOptions options, int keys, int seed)
    {
        var (rows, features) = (options.Rows, options.Features);
        var offset = options.Ties ? "to_seconds((random() * 365 * 86400)::BIGINT)" : "to_microseconds((random() * 365 * 86400e6)::BIGINT)";
        var prefix = $"offline/{project}/{view}/v1";
        var directory = Path.Combine(objects, prefix);
        Directory.CreateDirectory(Path.GetDirectoryName(directory)!);
        var values = string.Join(", ", Enumerable.Range(0, features).Select(f => $"random() AS f{f}"));
        const string pattern = "part-bench-{i}";
        Duck($"""
            SELECT setseed(0.{seed + 1});
            COPY (SELECT customer_id, event_timestamp,
                         event_timestamp + to_seconds((random() * 3600)::BIGINT) AS created_timestamp, {values},
                         strftime(event_timestamp, '%Y-%m-01') AS date
                  FROM (SELECT (random() * {keys})::BIGINT AS customer_id,
                               TIMESTAMPTZ '{Year:yyyy-MM-dd} 00:00:00+00' + {offset} AS event_timestamp
                        FROM range({rows})))
            TO '{directory}' (FORMAT PARQUET, PARTITION_BY (date), FILENAME_PATTERN '{pattern}', COMPRESSION zstd)
            """);
        var files = Directory.GetFiles(directory, "*.parquet", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList();
        // The check a run makes of its rows (MaterializationSql.EventTiesIn, per slice), over the whole table at once: its cost.
        var all = string.Join(", ", files.Select(f => $"'{f}'"));
        var checking = Stopwatch.StartNew();
        var tied = Convert.ToInt64(Duck($"SELECT count(*) FROM (SELECT 1 FROM read_parquet([{all}]) " +
            "GROUP BY customer_id, event_timestamp HAVING count(*) > 1)"), CultureInfo.InvariantCulture);
        bool? eventTies = options.Created ? tied > 0 : null;
        Console.WriteLine($"  {view}: {tied:N0} (customer, event time) pairs with more than one row, " +
                          $"found in {checking.Elapsed.TotalSeconds:F1} s");
        var described = files.Select(file =>
        {
            using var connection = Open();
            using var command = connection.CreateCommand();
            command.CommandText = $"SELECT count(*), min(event_timestamp), max(event_timestamp) FROM read_parquet('{file}')";
            using var reader = command.ExecuteReader();
            reader.Read();
            using var content = File.OpenRead(file);
            return new
            {
                path = Path.GetRelativePath(objects, file).Replace(Path.DirectorySeparatorChar, '/'),
                date = Path.GetFileName(Path.GetDirectoryName(file)!).Split('=')[1],
                rowCount = reader.GetInt64(0), minEventTime = reader.GetValue(1), maxEventTime = reader.GetValue(2),
                contentHash = Convert.ToHexStringLower(SHA256.HashData(content)), sizeBytes = new FileInfo(file).Length, eventTies,
            };
        }).ToList();
        var pushId = Guid.NewGuid();
        var log = Path.Combine(objects, "pushes", project, $"{view}_push", "date=2024-01-01", $"push-{pushId:N}-0.parquet");
        Directory.CreateDirectory(Path.GetDirectoryName(log)!);
        Duck($"COPY (SELECT 1::BIGINT AS customer_id, " +
            $"TIMESTAMPTZ '2024-01-01 00:00:00+00' AS event_timestamp) TO '{log}' (FORMAT PARQUET)");
        string Hash(string file) { using var content = File.OpenRead(file); return Convert.ToHexStringLower(SHA256.HashData(content)); }
        var logFile = new
        {
            path = Path.GetRelativePath(objects, log).Replace(Path.DirectorySeparatorChar, '/'), date = "2024-01-01", rowCount = 1L,
            minEventTime = Year, maxEventTime = Year, contentHash = Hash(log), sizeBytes = new FileInfo(log).Length,
        };
        using var response = await http.PostAsJsonAsync($"api/v1/data-sources/{view}_push/pushes?project={project}",
            new { pushId, logFiles = new[] { logFile }, views = new[] { new { view, version = 1, files = described } } });
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException(
            $"cataloguing {view} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return files;
    }

    private static async Task ApplyAsync(FeatureStoreClient store, string objects, string project, int features, bool created)
    {
        var schema = string.Join(", ", Enumerable.Range(0, features).Select(f => $"{{name: f{f}, type: float64}}"));
        var yaml = new StringBuilder(
            $"project: {project}\nentities: [{{name: customer, joinKeys: [{{name: customer_id, type: int64}}]}}]\nsources:\n");
        for (var v = 0; v < Views; v++)
        {
            var source = Path.Combine(objects, "sources", project, $"v{v}.parquet");
            Directory.CreateDirectory(Path.GetDirectoryName(source)!);
            Duck($"COPY (SELECT 1::BIGINT AS customer_id, now() AS event_timestamp, now() AS created_timestamp, " +
                 $"{string.Join(", ", Enumerable.Range(0, features).Select(f => $"1.0::DOUBLE AS f{f}"))}) TO '{source}' (FORMAT PARQUET)");
            yaml.Append($"  - {{name: v{v}, path: sources/{project}/v{v}.parquet, " +
                $"timestampField: event_timestamp{(created ? ", createdTimestampField: created_timestamp" : "")}}}\n");
            yaml.Append($"  - {{name: v{v}_push, kind: push, batchSource: v{v}}}\n");
        }
        yaml.Append("featureViews:\n");
        for (var v = 0; v < Views; v++)
            yaml.Append($"  - {{name: v{v}, entities: [customer], source: v{v}_push, ttl: 30d, schema: [{schema}]}}\n");
        await store.ApplyAsync(yaml.ToString());
    }

    private static DuckDBConnection Open()
    {
        var connection = new DuckDBConnection("DataSource=:memory:");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SET TimeZone = 'UTC'";
        command.ExecuteNonQuery();
        return connection;
    }

    /// <summary>Runs the statements (separated by ';' at line ends) on one connection; answers the last one's first value.</summary>
    private static object? Duck(string sql)
    {
        using var connection = Open();
        object? last = null;
        foreach (var statement in sql.Split(";\n").Select(s => s.Trim().TrimEnd(';')).Where(s => s.Length > 0))
        {
            using var command = connection.CreateCommand();
            command.CommandText = statement;
            last = command.ExecuteScalar();
        }
        return last;
    }
}
