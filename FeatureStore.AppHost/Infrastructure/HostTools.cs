using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace FeatureStore.AppHost.Infrastructure;

/// <summary>What running servers as local executables needs of this machine: where they are, who runs them, a free port.</summary>
public static class HostTools
{
    /// <summary>PostgreSQL refuses to run as root; as root, servers that refuse it run as their own system user.</summary>
    public static bool IsRoot => Environment.UserName == "root";

    /// <summary>A command on the PATH as a full path, or null.</summary>
    public static string? OnPath(string command) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, command)).FirstOrDefault(File.Exists);

    public static string Require(string? path, string what) =>
        path is not null && File.Exists(path) ? path
            : throw new DistributedApplicationException($"{what} is not installed here; eng/run.sh installs it " +
                "(or run with --infrastructure containers)");

    /// <summary>The newest PostgreSQL's bin directory (Debian keeps each major version apart).</summary>
    public static string? PostgresBin() =>
        Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin")).Where(Directory.Exists)
                .OrderBy(d => Version.TryParse(Path.GetFileName(Path.GetDirectoryName(d)), out var v) ? v : new Version(0, 0))
                .LastOrDefault()
            : null;

    // Below Linux's ephemeral range (32768 on), and apart from the range the test suites pick from (22000 on).
    private const int FirstPort = 15000;
    private const int PortSpan = 5000;

    /// <summary>
    /// Ports nothing listens on now, all different (for the few a server needs besides its endpoint). Each is held until all
    /// are picked — the system's own pick can hand back a port it just released, and once gave RabbitMQ's port mapper and its
    /// distribution port the same one — and they come from below the ephemeral range, so no outgoing connection can take one
    /// between this pick and the server's bind.
    /// </summary>
    public static IReadOnlyList<int> FreePorts(int count)
    {
        var held = new List<TcpListener>();
        try
        {
            var start = Random.Shared.Next(PortSpan);
            for (var i = 0; i < PortSpan && held.Count < count; i++)
            {
                var listener = new TcpListener(IPAddress.Loopback, FirstPort + (start + i) % PortSpan);
                try
                {
                    listener.Start();
                    held.Add(listener);
                }
                catch (SocketException) { listener.Dispose(); }
            }
            if (held.Count < count)
                throw new InvalidOperationException(
                    $"no {count} free ports on 127.0.0.1 between {FirstPort} and {FirstPort + PortSpan - 1}");
            return held.Select(l => ((IPEndPoint)l.LocalEndpoint).Port).ToList();
        }
        finally
        {
            foreach (var listener in held) listener.Dispose();
        }
    }

    /// <summary>Runs a command to completion (as <paramref name="user"/> when root), failing with its output.</summary>
    public static async Task RunAsync(string command, IReadOnlyList<string> args, string? user, CancellationToken cancellationToken)
    {
        var (file, arguments) = AsUser(command, args, user);
        using var process = Process.Start(
            new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true })
                            ?? throw new DistributedApplicationException($"{command} did not start");
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var errors = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0)
            throw new DistributedApplicationException($"{Path.GetFileName(command)} failed ({process.ExitCode}): " +
                $"{await errors}{await output}");
    }

    /// <summary>The command line that runs <paramref name="command"/> as <paramref name="user"/> when root (setpriv execs, so signals reach
    /// the server).</summary>
    public static (string File, IReadOnlyList<string> Args) AsUser(string command, IReadOnlyList<string> args, string? user) =>
        user is not null && IsRoot
            ? (Require(OnPath("setpriv"), "setpriv (util-linux)"),
                [$"--reuid={user}", $"--regid={user}", "--init-groups", "--", command, .. args])
            : (command, args);

    /// <summary>Gives a directory to a system user (servers refuse data they do not own).</summary>
    public static Task OwnAsync(string directory, string user, CancellationToken cancellationToken) =>
        IsRoot ? RunAsync("chown", ["-R", $"{user}:{user}", directory], null, cancellationToken) : Task.CompletedTask;
}
