using System.Text.Json;
using Aspire.Hosting;
using Aspire.Hosting.Testing;
using FeatureStore.Testing;

namespace FeatureStore.AppHost.Tests;

/// <summary>The AppHost as a deployment sees it (its manifest), and as a machine does (it leaves no process behind).</summary>
public sealed class AppHostLifecycleTests
{
    private static readonly string[] Credentials = ["redis-password", "postgres-password", "messaging-password",
        "minio-user", "minio-password"];

    [Fact]
    public async Task The_manifest_describes_containers_secrets_references_and_public_endpoints_with_no_local_path()
    {
        var ct = TestContext.Current.CancellationToken;
        // Written inside the repository, as a user writes it: project paths are then relative to it and name nothing outside.
        var repository = Path.GetFullPath(Path.Combine(Projects.FeatureStore_AppHost.ProjectPath, ".."));
        var directory = Directory.CreateDirectory(Path.Combine(repository, "TestResults", $"manifest-{Guid.NewGuid():N}")).FullName;
        try
        {
            var file = Path.Combine(directory, "aspire-manifest.json");
            var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.FeatureStore_AppHost>(
                ["--publisher", "manifest", "--output-path", file], ct);
            await using (var app = await builder.BuildAsync(ct)) await app.RunAsync(ct).WaitAsync(AppHostFixture.Patience, ct);
            var text = await File.ReadAllTextAsync(file, ct);
            var resources = JsonDocument.Parse(text).RootElement.GetProperty("resources");
            string Type(string name) => resources.GetProperty(name).GetProperty("type").GetString()!;

            // Whatever this machine would run, a deployment gets containers for the backing servers.
            foreach (var server in new[] { "redis", "postgres", "messaging", "minio" })
                Assert.True(Type(server) == "container.v0"
                    && resources.GetProperty(server).GetProperty("image").GetString()!.Length > 0, server);
            foreach (var credential in Credentials)
                Assert.True(resources.GetProperty(credential).GetProperty("inputs").GetProperty("value").GetProperty("secret").GetBoolean(),
                    credential);
            var environment = new Dictionary<string, string[]>
            {
                ["registry"] = ["ConnectionStrings__registry", "ConnectionStrings__minio", "ConnectionStrings__messaging"],
                ["pipeline-worker"] = ["ConnectionStrings__redis", "ConnectionStrings__minio", "ConnectionStrings__messaging",
                    "services__registry__http__0"],
                ["feature-api"] = ["ConnectionStrings__redis", "ConnectionStrings__minio", "ConnectionStrings__messaging",
                    "services__registry__http__0"],
                ["model-api"] = ["ConnectionStrings__registry", "ConnectionStrings__minio", "ConnectionStrings__messaging",
                    "services__registry__http__0",
                    "services__feature-api__http__0"],
                ["web"] = ["services__registry__http__0", "services__feature-api__http__0", "services__model-api__http__0"],
            };
            foreach (var (service, keys) in environment)
            {
                Assert.Equal("project.v0", Type(service));
                var env = resources.GetProperty(service).GetProperty("env");
                foreach (var key in keys) Assert.True(env.TryGetProperty(key, out _), $"{service} lacks {key}");
                var external = resources.GetProperty(service).GetProperty("bindings").GetProperty("http")
                    .TryGetProperty("external", out var e) && e.GetBoolean();
                Assert.True(external == (service != "pipeline-worker"), $"{service}: external {external}");
            }
            // Project paths are relative to the manifest; nothing of this machine (its folders, its data) is in it.
            foreach (var local in new[] { directory, Path.GetTempPath().TrimEnd('/'),
                Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), repository })
                Assert.DoesNotContain(local, text);
            foreach (var service in environment.Keys)
                Assert.False(Path.IsPathRooted(resources.GetProperty(service).GetProperty("path").GetString()), service);
        }
        finally { Directory.Delete(directory, recursive: true); }
    }

    [Fact]
    public async Task Stopping_the_AppHost_leaves_no_process_of_it_behind()
    {
        var ct = TestContext.Current.CancellationToken;
        var data = Directory.CreateTempSubdirectory("fs-apphost-stop-").FullName;
        var ours = new HashSet<int>();
        try
        {
            // The orchestrator monitors this test process; so does the shared AppHost's: those already running are not this one's.
            var monitor = $"--monitor {Environment.ProcessId}";
            var before = Processes.WhereCommandLineContains(monitor).ToHashSet();
            var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.FeatureStore_AppHost>(
                [$"Infrastructure:DataDirectory={data}"], ct);
            await using (var app = await builder.BuildAsync(ct))
            {
                await app.StartAsync(ct).WaitAsync(AppHostFixture.Patience, ct);
                foreach (var resource in AppHostFixture.Resources)
                    await app.ResourceNotifications.WaitForResourceHealthyAsync(resource, ct).WaitAsync(AppHostFixture.Patience, ct);
                // Every process a resource runs, and everything below it (rabbitmq-server's Erlang VM, for one), and the orchestrator.
                foreach (var resource in AppHostFixture.Resources.Append("messaging-epmd"))
                    if (app.ResourceNotifications.TryGetCurrentState(resource, out var state)
                        && state.Snapshot.Properties.FirstOrDefault(p => p.Name == "executable.pid")?.Value is { } pid
                        && int.TryParse(pid.ToString(), out var id))
                        ours.UnionWith(Processes.WithDescendants(id));
                ours.UnionWith(Processes.WhereCommandLineContains(data)
                    .Concat(Processes.WhereCommandLineContains(monitor).Where(p => !before.Contains(p)))
                    .SelectMany(Processes.WithDescendants));
                Assert.True(ours.Count >= 10,
                    $"found only {ours.Count} processes of the AppHost: {string.Join(", ", ours.Select(Processes.Describe))}");
            }
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (ours.Any(ProcStat.IsAlive) && DateTime.UtcNow < deadline) await Task.Delay(250, ct);
            Assert.True(!ours.Any(ProcStat.IsAlive),
                $"still running: {string.Join(", ", ours.Where(ProcStat.IsAlive).Select(Processes.Describe))}");
        }
        finally
        {
            try { Directory.Delete(data, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }
}
