using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;

namespace FeatureStore.Testing;

/// <summary>
/// A real Redis Cluster of one test class's own on loopback: three masters, each with one replica, a node timeout of one
/// second so a killed master's replica takes over within seconds. Made with redis-server in cluster mode and
/// <c>redis-cli --cluster create</c>, as an operator would; nothing persisted; everything killed on dispose.
/// </summary>
public sealed class LocalRedisCluster : IAsyncDisposable
{
    private const int Nodes = 6, Masters = 3;
    private static readonly TimeSpan SettleTimeout = TimeSpan.FromSeconds(30);
    private readonly string _directory = Directory.CreateTempSubdirectory("fs-redis-cluster-").FullName;
    private readonly Dictionary<int, Process> _servers = new();

    public IReadOnlyList<int> Ports { get; private set; } = [];

    /// <summary>Every node, as StackExchange.Redis takes them (it discovers the topology from any of them).</summary>
    public string ConnectionString => string.Join(",", Ports.Select(p => $"127.0.0.1:{p}"));

    /// <summary>
    /// Starts the nodes, makes them a cluster and answers once every node sees every slot served and every replica holds
    /// all its master has: a replica that never finished its first sync is never promoted (it counts its data as older
    /// than <c>cluster-replica-validity-factor</c> allows), so a master killed before that would leave its slots down for good.
    /// </summary>
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
        // Each node's cluster bus port is its port + 10000 unless given, and a port the system picks may be above 55535.
        var ports = LoopbackPorts.Free(2 * Nodes);
        Ports = ports.Take(Nodes).ToList();
        for (var i = 0; i < Nodes; i++) _servers[Ports[i]] = StartNode(Ports[i], busPort: ports[Nodes + i]);
        foreach (var port in Ports)
        {
            var server = _servers[port];
            try
            {
                await LoopbackPorts.WaitUntilOpenAsync(port, () => server.HasExited);
            }
            catch (SocketException) when (server.HasExited)
            {
                throw new InvalidOperationException($"the Redis cluster node on port {port} exited; {Diagnosis()}");
            }
        }
        await RunCliAsync(["--cluster", "create", .. Ports.Select(p => $"127.0.0.1:{p}"), "--cluster-replicas", "1", "--cluster-yes"]);
        await WaitUntilAsync(async () => await IsHealthyAsync() && await ReplicasInSyncAsync(), "formed with every replica in sync");
    }

    /// <summary>
    /// Waits until every master has a replica linked to it that holds everything the master held when asked (replication
    /// offsets): then killing a master loses no write made before this call.
    /// </summary>
    public Task WaitForReplicasAsync() => WaitUntilAsync(ReplicasInSyncAsync, "to have every master's replica in sync");

    /// <summary>Kills one node that is a master now (SIGKILL, as a crash); answers its port.</summary>
    public async Task<int> KillAMasterAsync()
    {
        foreach (var port in Ports.Where(_servers.ContainsKey))
            if ((await RunCliAsync(["-p", Text(port), "role"])).StartsWith("master", StringComparison.Ordinal))
            {
                var server = _servers[port];
                server.Kill();
                await server.WaitForExitAsync();
                LeftoverProcesses.Stopped(server.Id);
                server.Dispose();
                _servers.Remove(port);
                return port;
            }
        throw new InvalidOperationException("no node of the cluster is a master");
    }

    /// <summary>
    /// Whether every live node says the cluster is ok and sees every slot served by a master that is alive: right after a
    /// kill the others still count the dead master as serving its slots until the node timeout marks it failing, and
    /// this stays false until its replica has taken its slots over.
    /// </summary>
    public async Task<bool> IsHealthyAsync()
    {
        foreach (var port in Ports.Where(_servers.ContainsKey))
        {
            if (!(await RunCliAsync(["-p", Text(port), "cluster", "info"])).Contains("cluster_state:ok", StringComparison.Ordinal))
                return false;
            // CLUSTER NODES: id ip:port@busport[,hostname] flags master ping-sent pong-received epoch link-state slot...
            var nodes = await RunCliAsync(["-p", Text(port), "cluster", "nodes"]);
            foreach (var node in nodes.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                var fields = node.Split(' ');
                if (fields.Length <= 8) continue;   // serves no slot
                var address = fields[1];
                var nodePort = int.Parse(address[(address.LastIndexOf(':', address.IndexOf('@')) + 1)..address.IndexOf('@')],
                    CultureInfo.InvariantCulture);
                if (fields[2].Contains("fail", StringComparison.Ordinal) || !_servers.ContainsKey(nodePort)) return false;
            }
        }
        return true;
    }

    /// <summary>Whether there are three masters, each with a replica whose link is up and which holds all the master had.</summary>
    private async Task<bool> ReplicasInSyncAsync()
    {
        var live = Ports.Where(_servers.ContainsKey).ToList();
        var offsets = new Dictionary<int, long>();   // each master's replication offset, read before any replica's
        foreach (var port in live)
        {
            var info = await ReplicationAsync(port);
            if (info["role"] == "master" && info["connected_slaves"] != "0")
                offsets[port] = long.Parse(info["master_repl_offset"], CultureInfo.InvariantCulture);
        }
        if (offsets.Count < Masters) return false;
        var replicated = new HashSet<int>();
        foreach (var port in live)
        {
            var info = await ReplicationAsync(port);
            if (info["role"] != "slave" || info["master_link_status"] != "up") continue;
            var master = int.Parse(info["master_port"], CultureInfo.InvariantCulture);
            var held = long.Parse(info["slave_repl_offset"], CultureInfo.InvariantCulture);
            if (offsets.TryGetValue(master, out var wanted) && held >= wanted) replicated.Add(master);
        }
        return replicated.Count == offsets.Count;
    }

    private static async Task<Dictionary<string, string>> ReplicationAsync(int port) =>
        (await RunCliAsync(["-p", Text(port), "info", "replication"]))
        .Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
        .Select(line => line.Split(':', 2))
        .Where(pair => pair.Length == 2)
        .ToDictionary(pair => pair[0], pair => pair[1]);

    private async Task WaitUntilAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow + SettleTimeout;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"the Redis cluster was not {what} in {SettleTimeout.TotalSeconds} s; {Diagnosis()}");
            await Task.Delay(100);
        }
    }

    /// <summary>The end of every node's log: why a replica did not sync or would not take over is written there.</summary>
    private string Diagnosis() => string.Join("\n", Ports.Select(port =>
    {
        var log = Path.Combine(_directory, $"node-{port}.log");
        var tail = File.Exists(log) ? File.ReadLines(log).Where(l => l.Length > 0).TakeLast(6) : ["(no log)"];
        return $"node {port}{(_servers.ContainsKey(port) ? "" : " (killed)")}:\n  {string.Join("\n  ", tail)}";
    }));

    private Process StartNode(int port, int busPort)
    {
        // A replica starts its sync at once (not after the diskless-sync delay of 5 s), and is promoted however long
        // its master has been away (validity factor 0): on a busy machine an election may need several rounds, and the
        // tests wait for replication before killing a master, so the replica never holds less than it should.
        var process = Process.Start(new ProcessStartInfo("redis-server",
        [
            "--port", Text(port), "--cluster-port", Text(busPort), "--bind", "127.0.0.1",
            "--cluster-enabled", "yes", "--cluster-config-file", $"nodes-{port}.conf", "--cluster-node-timeout", "1000",
            "--cluster-replica-validity-factor", "0", "--repl-diskless-sync-delay", "0",
            "--save", "", "--appendonly", "no", "--dir", _directory, "--logfile", $"node-{port}.log",
        ])
        { RedirectStandardOutput = true, WorkingDirectory = _directory })!;
        process.BeginOutputReadLine();
        LeftoverProcesses.Started(process.Id);
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
            LeftoverProcesses.Stopped(server.Id);
            server.Dispose();
        }
        _servers.Clear();
        try { Directory.Delete(_directory, recursive: true); } catch (IOException) { }
    }
}
