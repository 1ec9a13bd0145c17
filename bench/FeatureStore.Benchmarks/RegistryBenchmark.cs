using System.Diagnostics;
using System.Text;
using FeatureStore.Domain;
using FeatureStore.Registry;
using FeatureStore.Registry.Storage;
using FeatureStore.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace FeatureStore.Benchmarks;

/// <summary>
/// The registry service (its real module, over HTTP on loopback) on PostgreSQL or SQLite: how long a
/// repository of N views takes to plan and apply, and the latency of reading one view by name, beside
/// the bare store read of the same row and an HTTP round trip that touches no store (/alive).
/// </summary>
public static class RegistryBenchmark
{
    public static async Task RunAsync(BenchmarkOptions options)
    {
        var database = $"bench_{Guid.NewGuid():N}"[..20];
        var dataDirectory = Path.Combine(Path.GetTempPath(), database);
        var postgres = Environment.GetEnvironmentVariable("ConnectionStrings__registry")
            ?? "Host=127.0.0.1;Port=5433;Username=postgres;Database=registry";
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Configuration["FeatureStore:DataDirectory"] = dataDirectory;
        // Secure by default: the host needs its service credential, and the benchmark calls it as admin.
        builder.Configuration["FeatureStore:Auth:AdminKey"] = TestCredentials.AdminKey;
        builder.Configuration["FeatureStore:Auth:ServiceKey"] = TestCredentials.ServiceKey;
        if (options.Store == "postgres")
        {
            await using (var admin = new NpgsqlConnection(postgres))
            {
                await admin.OpenAsync();
                await new NpgsqlCommand($"CREATE DATABASE {database}", admin).ExecuteNonQueryAsync();
            }
            builder.Configuration["ConnectionStrings:registry"] =
                new NpgsqlConnectionStringBuilder(postgres) { Database = database }.ConnectionString;
        }
        else builder.Configuration["ConnectionStrings:registry"] = "";
        builder.AddServiceDefaults();
        builder.AddRegistry();
        await using var app = builder.Build();
        app.MapDefaultEndpoints();
        app.UseApiEndpoints();
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        using var http = new HttpClient { BaseAddress = new Uri(address), Timeout = TimeSpan.FromMinutes(5) };
        http.DefaultRequestHeaders.Add(TestCredentials.Header, TestCredentials.AdminKey);

        var repository = Repository(options.Views, options.Features);
        Console.WriteLine($"registry on {options.Store}: repository of {options.Views} views x " +
            $"{options.Features} features ({repository.Length / 1024} KiB YAML), {options.Reads:N0} reads");
        Console.WriteLine();
        Console.WriteLine("apply                                      ms");
        foreach (var (label, query) in new[] { ("dry run (plan only)", "?dryRun=true"), ("first apply (creates all)", ""),
                     ("same file again (no change)", ""),
                     ("dry run again", "?dryRun=true") })
            Console.WriteLine($"  {label,-36}{await TimeAsync(() => ApplyAsync(http, repository, query)),8:F0}");
        var changed = repository.Replace("ttl: 30d", "ttl: 31d");
        Console.WriteLine($"  {"every view changed (new versions)",-36}{await TimeAsync(() => ApplyAsync(http, changed, "")),8:F0}");

        var store = app.Services.GetRequiredService<IDefinitionStore>();
        var random = new Random(3);
        var viaHttp = await Latency.MeasureAsync(options.Reads, async () =>
            (await http.GetAsync($"api/v1/feature-views/view_{random.Next(options.Views)}?project=bench")).EnsureSuccessStatusCode());
        var viaStore = await Latency.MeasureAsync(options.Reads, () => store.FindObjectAsync("bench", ObjectKind.FeatureView,
            $"view_{random.Next(options.Views)}", null, CancellationToken.None));
        var alive = await Latency.MeasureAsync(options.Reads, async () => (await http.GetAsync("alive")).EnsureSuccessStatusCode());
        // The UI's catalog: one feature search per project it shows (every feature, and a fragment of view names).
        var searchReads = Math.Max(20, options.Reads / 20);
        var searchAll = await Latency.MeasureAsync(searchReads, async () =>
            (await http.GetAsync("api/v1/features?project=bench")).EnsureSuccessStatusCode());
        var searchSome = await Latency.MeasureAsync(searchReads, async () =>
            (await http.GetAsync($"api/v1/features?project=bench&q=view_{random.Next(options.Views / 100 + 1)}"))
            .EnsureSuccessStatusCode());
        Console.WriteLine();
        Console.WriteLine("read one view by name (sequential)      p50 ms    p99 ms");
        Console.WriteLine($"  GET /api/v1/feature-views/{{name}} {viaHttp.P50,10:F3}{viaHttp.P99,10:F3}");
        Console.WriteLine($"  store read of the same row       {viaStore.P50,10:F3}{viaStore.P99,10:F3}");
        Console.WriteLine($"  GET /alive (HTTP, no store)      {alive.P50,10:F3}{alive.P99,10:F3}");
        Console.WriteLine();
        Console.WriteLine($"feature search (the UI's catalog)       p50 ms    p99 ms   ({searchReads} each, " +
            $"{options.Views * options.Features:N0} features)");
        Console.WriteLine($"  every feature of the project     {searchAll.P50,10:F3}{searchAll.P99,10:F3}");
        Console.WriteLine($"  q=view_N (a name fragment)       {searchSome.P50,10:F3}{searchSome.P99,10:F3}");

        await app.StopAsync();
        NpgsqlConnection.ClearAllPools();
        if (options.Store == "postgres")
        {
            await using var admin = new NpgsqlConnection(postgres);
            await admin.OpenAsync();
            await new NpgsqlCommand($"DROP DATABASE {database} WITH (FORCE)", admin).ExecuteNonQueryAsync();
        }
        try { Directory.Delete(dataDirectory, recursive: true); } catch (IOException) { }
    }

    /// <summary>One entity, ten sources with declared schemas, and N views of F features each (every tenth with an SQL
    /// transformation).</summary>
    private static string Repository(int views, int features)
    {
        var yaml = new StringBuilder(
            "project: bench\nentities: [{name: customer, joinKeys: [{name: customer_id, type: int64}]}]\nsources:\n");
        var columns = string.Join(", ", Enumerable.Range(0, features).Select(f => $"{{name: f{f}, type: float64}}"));
        for (var s = 0; s < 10; s++)
            yaml.Append($"  - {{name: source_{s}, path: sources/bench/s{s}.parquet, timestampField: ts, schema: [{{name: customer_id, " +
                $"type: int64}}, {{name: ts, type: timestamp}}, {columns}]}}\n");
        yaml.Append("featureViews:\n");
        for (var v = 0; v < views; v++)
        {
            yaml.Append(
                $"  - name: view_{v}\n    entities: [customer]\n    source: source_{v % 10}\n    ttl: 30d\n    tags: {{team: t{v % 7}}}\n");
            if (v % 10 == 0) yaml.Append("    transformation: {sql: \"SELECT * FROM source WHERE f0 >= 0\"}\n");
            yaml.Append($"    schema: [{columns}]\n");
        }
        return yaml.ToString();
    }

    private static async Task ApplyAsync(HttpClient http, string yaml, string query)
    {
        using var response = await http.PostAsync($"api/v1/apply{query}", new StringContent(yaml, Encoding.UTF8, "application/yaml"));
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"apply answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }

    private static async Task<double> TimeAsync(Func<Task> action)
    {
        var clock = Stopwatch.StartNew();
        await action();
        return clock.Elapsed.TotalMilliseconds;
    }
}
