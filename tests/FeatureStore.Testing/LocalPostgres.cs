using System.Diagnostics;
using System.Globalization;
using Npgsql;

namespace FeatureStore.Testing;

/// <summary>
/// A PostgreSQL cluster of one test's own (initdb into a temporary directory, <c>postgres</c> on a loopback port, no
/// durability), which the test may kill (SIGKILL, the postmaster and its backends, as a crash would) and start again on the
/// same port and data directory. As root the server runs as the user <c>postgres</c> (it refuses root), like eng/infra.sh.
/// </summary>
public sealed class LocalPostgres : IAsyncDisposable
{
    private readonly string _directory;
    private readonly string _bin;
    private int? _postmaster;

    private LocalPostgres(string directory, string bin, int port)
    {
        _directory = directory;
        _bin = bin;
        Port = port;
    }

    public int Port { get; }
    private string Data => Path.Combine(_directory, "data");

    /// <summary>The <c>registry</c> database of this cluster (created on first start).</summary>
    public string ConnectionString => $"Host=127.0.0.1;Port={Port};Username=postgres;Database=registry";

    public static async Task<LocalPostgres> StartAsync()
    {
        var bin = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin"))
                .Where(d => File.Exists(Path.Combine(d, "initdb")))
                .OrderBy(d => Version.TryParse(Path.GetFileName(Path.GetDirectoryName(d)), out var v) ? v : new Version(0, 0))
                .LastOrDefault()
            : null;
        if (bin is null) throw new InvalidOperationException("no PostgreSQL binaries under /usr/lib/postgresql (eng/infra.sh install)");
        // Under /tmp, not a home directory: the user postgres must be able to reach it.
        var directory = Directory.CreateDirectory(Path.Combine("/tmp", $"fs-pg-{Guid.NewGuid():N}")).FullName;
        var postgres = new LocalPostgres(directory, bin, LoopbackPorts.Free());
        if (IsRoot) await RunAsync("chown", ["postgres:", directory], asPostgres: false);
        await RunAsync(Path.Combine(bin, "initdb"),
            ["-D", postgres.Data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"], asPostgres: true);
        await postgres.StartAgainAsync();
        await using var admin = new NpgsqlConnection(postgres.ConnectionString.Replace("Database=registry", "Database=postgres"));
        await admin.OpenAsync();
        await using var create = new NpgsqlCommand("CREATE DATABASE registry", admin);
        await create.ExecuteNonQueryAsync();
        return postgres;
    }

    /// <summary>Starts the server on its data directory and waits until it accepts queries (after crash recovery, if any).</summary>
    public async Task StartAgainAsync()
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        var port = Port.ToString(CultureInfo.InvariantCulture);
        var log = Path.Combine(_directory, "postgres.log");
        while (true)
        {
            // pg_ctl detaches the server and returns once it answers; the postmaster's PID is then in postmaster.pid.
            var (code, output) = await TryRunAsync(Path.Combine(_bin, "pg_ctl"), ["-D", Data, "-l", log, "-w", "-t", "30", "-o",
                $"-p {port} -k {_directory} -c listen_addresses=127.0.0.1 -c max_connections=100 -c shared_buffers=16MB " +
                "-c fsync=off -c synchronous_commit=off -c full_page_writes=off", "start"], asPostgres: true);
            if (code == 0) break;
            // Backends of a killed postmaster may hold its shared memory for a moment: then the new one refuses to start.
            if (DateTime.UtcNow > deadline)
                throw new InvalidOperationException($"postgres did not start: {output}\n{Tail(log)}");
            await Task.Delay(200);
        }
        _postmaster = int.Parse(File.ReadLines(Path.Combine(Data, "postmaster.pid")).First(), CultureInfo.InvariantCulture);
        LeftoverProcesses.Started(_postmaster.Value);
        while (true)
        {
            try
            {
                await using var connection = new NpgsqlConnection($"Host=127.0.0.1;Port={port};Username=postgres;Database=postgres;" +
                    "Pooling=false;Timeout=2");
                await connection.OpenAsync();
                return;
            }
            catch (NpgsqlException) when (DateTime.UtcNow < deadline) { await Task.Delay(100); }
        }
    }

    /// <summary>Kills the postmaster and every backend at once (SIGKILL), as a crash of the machine's database would.</summary>
    public async Task KillAsync()
    {
        if (_postmaster is not { } pid) return;
        _postmaster = null;
        LeftoverProcesses.Stopped(pid);
        var children = Children(pid);
        foreach (var id in children.Prepend(pid))
        {
            try
            {
                using var process = Process.GetProcessById(id);
                process.Kill();
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException) { } // already gone
        }
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (children.Prepend(pid).Any(ProcStat.IsAlive) && DateTime.UtcNow < deadline) await Task.Delay(20);
        // A killed postmaster leaves its lock file; one whose PID lingers as an unreaped zombie would look alive to the next one.
        File.Delete(Path.Combine(Data, "postmaster.pid"));
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        try { Directory.Delete(_directory, recursive: true); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
    }

    private static bool IsRoot => Environment.UserName == "root";

    private static List<int> Children(int pid) => ProcStat.All().Where(id => ProcStat.ParentOf(id) == pid).ToList();

    private static string Tail(string log) => File.Exists(log) ? string.Join('\n', File.ReadLines(log).TakeLast(15)) : "(no log)";

    private static async Task RunAsync(string program, string[] arguments, bool asPostgres)
    {
        var (code, output) = await TryRunAsync(program, arguments, asPostgres);
        if (code != 0) throw new InvalidOperationException($"{Path.GetFileName(program)} failed ({code}): {output}");
    }

    private static async Task<(int Code, string Output)> TryRunAsync(string program, string[] arguments, bool asPostgres)
    {
        var start = asPostgres && IsRoot
            ? new ProcessStartInfo("runuser", ["-u", "postgres", "--", program, .. arguments])
            : new ProcessStartInfo(program, arguments);
        start.RedirectStandardOutput = start.RedirectStandardError = true;
        start.WorkingDirectory = "/tmp";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, (await output + await error).Trim());
    }
}
