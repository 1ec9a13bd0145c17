using System.Diagnostics;

namespace FeatureStore.Testing;

/// <summary>
/// A redis-server of one test's own on a loopback port (no persistence), which the test may stop and start again on the
/// same port, as an outage would: the shared test servers stay up for everyone else.
/// </summary>
public sealed class LocalRedis(int port) : IAsyncDisposable
{
    private Process? _process;

    public int Port { get; } = port;
    public string ConnectionString => $"127.0.0.1:{Port}";

    public static async Task<LocalRedis> StartAsync()
    {
        var redis = new LocalRedis(LoopbackPorts.Free());
        await redis.StartAgainAsync();
        return redis;
    }

    /// <summary>Starts the server (empty) and waits until it accepts connections.</summary>
    public async Task StartAgainAsync()
    {
        var port = Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        _process = Process.Start(new ProcessStartInfo("redis-server",
            ["--port", port, "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"])
        { RedirectStandardOutput = true, WorkingDirectory = Path.GetTempPath() })!;
        _process.BeginOutputReadLine();
        LeftoverProcesses.Started(_process.Id);
        var process = _process;
        await LoopbackPorts.WaitUntilOpenAsync(Port, () => process.HasExited);
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

    public async ValueTask DisposeAsync() => await KillAsync();
}
