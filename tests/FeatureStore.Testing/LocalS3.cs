using System.Diagnostics;
using System.Globalization;

namespace FeatureStore.Testing;

/// <summary>
/// An s3rver of one test's own (the S3-compatible server eng/infra.sh installs into <c>.tools/</c>) on a loopback port,
/// keeping its objects in a temporary directory, which the test may kill (SIGKILL) and start again on the same port and
/// directory: buckets and objects survive, as they would a crash of the server.
/// </summary>
public sealed class LocalS3 : IAsyncDisposable
{
    private readonly string _directory = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), $"fs-s3-{Guid.NewGuid():N}")).FullName;
    private readonly string _script;
    private Process? _process;

    private LocalS3(string script, int port)
    {
        _script = script;
        Port = port;
    }

    public int Port { get; }

    /// <summary>The <c>ConnectionStrings__minio</c> form (docs/architecture.md).</summary>
    public string ConnectionString => $"Endpoint=http://127.0.0.1:{Port};AccessKey=S3RVER;SecretKey=S3RVER";

    public static async Task<LocalS3> StartAsync()
    {
        var tools = Environment.GetEnvironmentVariable("FS_TOOLS_DIR") is { Length: > 0 } dir
            ? dir : Path.Combine(RepoPaths.Root, ".tools");
        var script = Path.Combine(tools, "s3", "node_modules", "s3rver", "bin", "s3rver.js");
        if (!File.Exists(script))
            throw new FileNotFoundException($"s3rver is not installed: {script} is missing (eng/infra.sh install, or set FS_TOOLS_DIR)");
        var s3 = new LocalS3(script, LoopbackPorts.Free());
        await s3.StartAgainAsync();
        return s3;
    }

    /// <summary>Starts the server on its directory and waits until it answers HTTP.</summary>
    public async Task StartAgainAsync()
    {
        _process = Process.Start(new ProcessStartInfo("node", [_script, "-d", _directory, "-a", "127.0.0.1",
            "-p", Port.ToString(CultureInfo.InvariantCulture), "--no-vhost-buckets", "--silent"])
        { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = _directory })!;
        _process.BeginOutputReadLine();
        LeftoverProcesses.Started(_process.Id);
        _process.BeginErrorReadLine();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            try
            {
                using var response = await http.GetAsync($"http://127.0.0.1:{Port}/");
                if (response.IsSuccessStatusCode) return;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException) { }
            if (DateTime.UtcNow > deadline || _process.HasExited)
                throw new InvalidOperationException($"s3rver did not start on port {Port}");
            await Task.Delay(50);
        }
    }

    /// <summary>Kills the server at once (SIGKILL), as a crash would.</summary>
    public async Task KillAsync()
    {
        if (_process is null) return;
        if (!_process.HasExited) _process.Kill();
        await _process.WaitForExitAsync(CancellationToken.None);
        LeftoverProcesses.Stopped(_process.Id);
        _process.Dispose();
        _process = null;
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        try { Directory.Delete(_directory, recursive: true); }
        catch (IOException) { }
    }
}
