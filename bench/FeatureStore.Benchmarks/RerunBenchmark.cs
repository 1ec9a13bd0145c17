using System.Diagnostics;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using DuckDB.NET.Data;
using FeatureStore.Client;
using FeatureStore.Domain;
using FeatureStore.Testing;

namespace FeatureStore.Benchmarks;

/// <summary>
/// Materializing a window again (the standalone host: SQLite registry, local object folder, online store on Redis when the
/// shell exports it): one view of N rows × F float64 features, kept online and offline. The first run has no history and is
/// the baseline; the second runs the same window over the same data (its commit masks the first, and the run checks which
/// entities lost their newest row: none); the third runs it over data with 1% of the entities' newest rows deleted (those
/// entities are corrected online).
/// </summary>
public static class RerunBenchmark
{
    private static readonly DateTime Start = new(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    public static async Task RunAsync(BenchmarkOptions options)
    {
        var entities = options.Entities > 0 ? options.Entities : Math.Max(1, options.Rows / 5);
        await using var host = await ServiceHost.StandaloneAsync(new Dictionary<string, string> { ["ConnectionStrings__minio"] = "" });
        using var store = host.Store();
        var project = $"bench_{Guid.NewGuid():N}"[..14];
        var key = $"sources/{project}/activity.parquet";
        var source = Path.Combine(host.DataDirectory, "objects", key);
        Directory.CreateDirectory(Path.GetDirectoryName(source)!);
        Console.WriteLine($"rerun: {options.Rows:N0} rows x {options.Features} float64 features, {entities:N0} entities, one window, " +
                          $"{Environment.ProcessorCount} cores, online store " +
                          $"{(Environment.GetEnvironmentVariable("ConnectionStrings__redis") is { Length: > 0 } ? "Redis" : "SQLite")}");
        Write(source, options.Rows, entities, options.Features, deleteEvery: 0);
        var schema = string.Join(", ", Enumerable.Range(0, options.Features).Select(f => $"{{name: f{f}, type: float64}}"));
        await store.ApplyAsync($$"""
            project: {{project}}
            entities: [{name: customer, joinKeys: [{name: customer_id, type: int64}]}]
            sources: [{name: activity, path: {{key}}, timestampField: event_timestamp}]
            featureViews:
              - {name: activity, entities: [customer], source: activity, ttl: 0, schema: [{{schema}}]}
              - {name: warmup, entities: [customer], source: activity, ttl: 0, schema: [{{schema}}]}
            """);

        var end = Start.AddSeconds(options.Rows);
        await RunAsync(store, project, end, "warmup"); // the worker's first run pays for loading and JIT: not measured
        var first = await RunAsync(store, project, end);
        var again = await RunAsync(store, project, end);
        Write(source, options.Rows, entities, options.Features, deleteEvery: 100);
        var corrected = await RunAsync(store, project, end);

        Console.WriteLine();
        Console.WriteLine("run                                        seconds   online keys changed   vs first");
        Console.WriteLine($"  first (no history)                     {first.Seconds,10:F1}{first.Keys,22:N0}");
        Console.WriteLine(
            $"  same window, same data                 {again.Seconds,10:F1}{again.Keys,22:N0}{again.Seconds / first.Seconds,11:F2}x");
        Console.WriteLine($"  same window, 1% newest rows deleted    {corrected.Seconds,10:F1}{corrected.Keys,22:N0}" +
            $"{corrected.Seconds / first.Seconds,11:F2}x");
        Console.WriteLine($"  (job durations as the registry records them; host peak RSS {host.PeakResidentBytes() / 1e6:N0} MB)");
    }

    /// <summary>Materializes the window from <see cref="Start"/> to <paramref name="end"/> and follows the job to its end.</summary>
    private static async Task<(double Seconds, long Keys)> RunAsync(FeatureStoreClient store, string project, DateTimeOffset end,
        string view = "activity")
    {
        var accepted = await store.MaterializeAsync(view, Start, end, project);
        var job = await store.WaitForJobAsync(accepted.JobId);
        if (job.Status != JobStatus.Succeeded) throw new InvalidOperationException($"the job ended {job.Status}: {job.Error}");
        return (job.DurationMs!.Value / 1000, job.OnlineKeysWritten!.Value);
    }

    /// <summary>Rows one second apart, entity = row % entities; with <paramref name="deleteEvery"/>, every such entity's newest row is left
    /// out.</summary>
    private static void Write(string path, int rows, int entities, int features, int deleteEvery)
    {
        var clock = Stopwatch.StartNew();
        using var connection = new DuckDBConnection("DataSource=:memory:");
        connection.Open();
        using var command = connection.CreateCommand();
        var values = string.Join(", ", Enumerable.Range(0, features).Select(f => $"((i * {f + 7}) % 1000) / 10.0 AS f{f}"));
        var deleted = deleteEvery > 0 ? $"WHERE NOT (i % {entities} % {deleteEvery} = 0 AND i >= {rows} - {entities})" : "";
        command.CommandText = $"""
            SET TimeZone = 'UTC';
            COPY (SELECT i % {entities} AS customer_id,
                         TIMESTAMPTZ '{Start:yyyy-MM-dd} 00:00:00+00' + to_seconds(i) AS event_timestamp, {values}
                  FROM range({rows}) t(i) {deleted}) TO '{path}' (FORMAT PARQUET)
            """;
        command.ExecuteNonQuery();
        Console.WriteLine($"  source written in " +
            $"{clock.Elapsed.TotalSeconds:F1} s{(deleteEvery > 0 ? $" (1 in {deleteEvery} entities without their newest row)" : "")}");
    }
}
