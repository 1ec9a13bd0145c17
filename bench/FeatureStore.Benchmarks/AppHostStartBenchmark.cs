using System.Diagnostics;
using Aspire.Hosting;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FeatureStore.Benchmarks;

/// <summary>
/// How long the AppHost takes from start to every resource healthy, on the backing servers this machine provides (local
/// executables where no container runtime answers): cold (a new data folder: initdb, a new RabbitMQ node) and warm (the
/// same folder again). Beside it, the standalone host's start to a healthy /health, with no server at all.
/// </summary>
public static class AppHostStartBenchmark
{
    private static readonly string[] Resources =
        ["redis", "postgres", "registry-db", "messaging", "minio", "registry", "pipeline-worker", "feature-api", "model-api"];

    public static async Task RunAsync(BenchmarkOptions options)
    {
        var data = Directory.CreateTempSubdirectory("fs-bench-apphost-").FullName;
        try
        {
            Console.WriteLine(
                $"apphost-start: {Environment.ProcessorCount} cores; every resource healthy, from an AppHost build already done");
            var cold = await StartAsync(data);
            var warm = await StartAsync(data);
            Console.WriteLine();
            Console.WriteLine("each resource healthy after      cold s    warm s");
            foreach (var resource in Resources.Prepend("(StartAsync returned)"))
                Console.WriteLine(
                    $"  {resource,-26} {cold.Healthy[resource].TotalSeconds,9:F1} {warm.Healthy[resource].TotalSeconds,9:F1}");
            var standalone = Stopwatch.StartNew();
            await using (await ServiceHost.StandaloneAsync(new Dictionary<string, string>())) standalone.Stop();
            Console.WriteLine();
            Console.WriteLine("start to healthy                         seconds");
            Console.WriteLine($"  AppHost, new data folder (cold)    {cold.All.TotalSeconds,10:F1}");
            Console.WriteLine($"  AppHost, same folder again (warm)  {warm.All.TotalSeconds,10:F1}");
            Console.WriteLine($"  standalone host (baseline)         {standalone.Elapsed.TotalSeconds,10:F1}");
        }
        finally
        {
            try { Directory.Delete(data, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    private static async Task<(TimeSpan All, Dictionary<string, TimeSpan> Healthy)> StartAsync(string data)
    {
        var clock = Stopwatch.StartNew();
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.FeatureStore_AppHost>(
            [$"Infrastructure:DataDirectory={data}"]);
        // The resources' own output and the health checks' failures while servers come up would bury the figures.
        builder.Services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning)
            .AddFilter("FeatureStore.AppHost.Resources", LogLevel.None)
            .AddFilter("Microsoft.Extensions.Diagnostics.HealthChecks", LogLevel.None));
        await using var app = await builder.BuildAsync();
        // Watched from before the start: StartAsync itself returns only once most resources are up.
        var watching = Task.WhenAll(Resources.Select(async resource =>
        {
            await app.ResourceNotifications.WaitForResourceHealthyAsync(resource).WaitAsync(TimeSpan.FromMinutes(10));
            return (resource, clock.Elapsed);
        }));
        await app.StartAsync();
        var started = clock.Elapsed;
        var healthy = await watching;
        return (clock.Elapsed,
            healthy.ToDictionary(h => h.resource, h => h.Elapsed).Append(new("(StartAsync returned)", started)).ToDictionary());
    }
}
