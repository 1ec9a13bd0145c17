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

    /// <summary>A port nothing listens on now (for the few a server needs besides its endpoint).</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
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
