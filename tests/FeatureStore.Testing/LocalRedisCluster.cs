using System.Diagnostics;
using System.Globalization;

namespace FeatureStore.Testing;

/// <summary>
/// A real Redis Cluster of one test class's own on loopback: three masters, each with one replica, a node timeout of one
/// second so a killed master's replica takes over within seconds. Made with redis-server in cluster mode and
/// <c>redis-cli --cluster create</c>, as an operator would; nothing persisted; everything killed on dispose.
/// </summary>
public sealed class LocalRedisCluster : IAsyncDisposable
{
    private const int Nodes = 6;
    private readonly string _directory = Directory.CreateTempSubdirectory("fs-redis-cluster-").FullName;
    private readonly Dictionary<int, Process> _servers = new();

    public IReadOnlyList<int> Ports { get; private set; } = [];

    /// <summary>Every node, as StackExchange.Redis takes them (it discovers the topology from any of them).</summary>
    public string ConnectionString => string.Join(",", Ports.Select(p => $"127.0.0.1:{p}"));

    public static async Task<LocalRedisCluster> StartAsync()
    {
        var cluster = new LocalRedisCluster();
        try
        {
            await cluster.CreateAsync();
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    private async Task CreateAsync()
    {
        Ports = Enumerable.Range(0, Nodes).Select(_ => LoopbackPorts.Free()).ToList();
        foreach (var port in Ports) _servers[port] = StartNode(port);
        foreach (var port in Ports) await LoopbackPorts.WaitUntilOpenAsync(port);
        await RunCliAsync(["--cluster", "create", .. Ports.Select(p => $"127.0.0.1:{p}"), "--cluster-replicas", "1", "--cluster-yes"]);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!(await RunCliAsync(["-p", Text(Ports[0]), "cluster", "info"])).Contains("cluster_state:ok", StringComparison.Ordinal))
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("the Redis cluster did not reach cluster_state:ok in 30 s");
            await Task.Delay(200);
        }
    }

    /// <summary>Kills one node that is a master now (SIGKILL, as a crash); answers its port.</summary>
    public async Task<int> KillAMasterAsync()
    {
        foreach (var port in Ports.Where(_servers.ContainsKey))
            if ((await RunCliAsync(["-p", Text(port), "role"])).StartsWith("master", StringComparison.Ordinal))
            {
                var server = _servers[port];
                server.Kill();
                await server.WaitForExitAsync();
                server.Dispose();
                _servers.Remove(port);
                return port;
            }
        throw new InvalidOperationException("no node of the cluster is a master");
    }

    /// <summary>Whether every slot is served again (a replica promoted in place of the killed master).</summary>
    public async Task<bool> IsHealthyAsync()
    {
        var alive = Ports.First(_servers.ContainsKey);
        return (await RunCliAsync(["-p", Text(alive), "cluster", "info"])).Contains("cluster_state:ok", StringComparison.Ordinal);
    }

    private Process StartNode(int port)
    {
        var process = Process.Start(new ProcessStartInfo("redis-server",
        [
            "--port", Text(port), "--bind", "127.0.0.1", "--cluster-enabled", "yes", "--cluster-config-file", $"nodes-{port}.conf",
            "--cluster-node-timeout", "1000", "--save", "", "--appendonly", "no", "--dir", _directory,
        ])
        { RedirectStandardOutput = true, WorkingDirectory = _directory })!;
        process.BeginOutputReadLine();
        return process;
    }

    private static async Task<string> RunCliAsync(IEnumerable<string> arguments)
    {
        using var cli = Process.Start(new ProcessStartInfo("redis-cli", arguments)
        { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var output = await cli.StandardOutput.ReadToEndAsync();
        var error = await cli.StandardError.ReadToEndAsync();
        await cli.WaitForExitAsync();
        if (cli.ExitCode != 0) throw new InvalidOperationException($"redis-cli {string.Join(' ', arguments)} failed: {output}{error}");
        return output;
    }

    private static string Text(int port) => port.ToString(CultureInfo.InvariantCulture);

    public async ValueTask DisposeAsync()
    {
        foreach (var server in _servers.Values)
        {
            if (!server.HasExited) server.Kill();
            await server.WaitForExitAsync();
            server.Dispose();
        }
        _servers.Clear();
        try { Directory.Delete(_directory, recursive: true); } catch (IOException) { }
    }
}
