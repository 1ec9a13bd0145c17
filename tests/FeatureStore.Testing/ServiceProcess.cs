using System.Diagnostics;
using System.Net;
using System.Reflection;

namespace FeatureStore.Testing;

/// <summary>
/// One service running as its own process (<c>dotnet FeatureStore.X.dll</c>) on a free loopback port:
/// the real Program.cs, the real configuration contract. Output goes to a log file whose tail is
/// quoted when the service fails to become ready.
/// </summary>
public sealed class ServiceProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StreamWriter _log;
    private readonly TaskCompletionSource _listening;

    public string Name { get; }
    public Uri BaseAddress { get; }
    public string LogPath { get; }

    private ServiceProcess(string name, Process process, Uri baseAddress, string logPath, StreamWriter log,
        TaskCompletionSource listening)
    {
        _listening = listening;
        Name = name;
        _process = process;
        BaseAddress = baseAddress;
        LogPath = logPath;
        _log = log;
    }

    /// <summary>Starts <paramref name="projectDirectory"/>'s build output (e.g. <c>services/registry</c>, assembly
    /// <c>FeatureStore.Registry</c>), on <paramref name="port"/> when given (a test that must know the address before the
    /// service starts: a proxy in front of it, say).</summary>
    public static ServiceProcess Start(string name, string projectDirectory, string assemblyName,
        IReadOnlyDictionary<string, string> environment, int? port = null)
    {
        var dll = Path.Combine(RepoPaths.Root, projectDirectory, "bin", RepoPaths.Configuration, "net10.0", assemblyName + ".dll");
        if (!File.Exists(dll)) throw new FileNotFoundException($"{name} is not built: {dll} is missing (build the solution first)");
        var address = new Uri($"http://127.0.0.1:{port ?? LoopbackPorts.Free()}");
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { dll, "--urls", address.ToString() },
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        start.Environment["DOTNET_NOLOGO"] = "1";
        foreach (var inherited in start.Environment.Keys.Where(k => k.StartsWith("ConnectionStrings__", StringComparison.Ordinal)).ToList())
            start.Environment.Remove(inherited); // only what this test gives the service
        start.Environment[TestCredentials.AdminKeyVariable] = TestCredentials.AdminKey;
        start.Environment[TestCredentials.ServiceKeyVariable] = TestCredentials.ServiceKey;
        foreach (var (key, value) in environment) start.Environment[key] = value;
        // Whatever level the caller chose, Kestrel's line naming the address it bound is written: readiness waits for it.
        start.Environment["Logging__LogLevel__Microsoft.Hosting.Lifetime"] = "Information";

        var logPath = Path.Combine(RepoPaths.TestLogs, $"{DateTime.UtcNow:HHmmss}-{name}-{Guid.NewGuid():N}"[..40] + ".log");
        var log = new StreamWriter(logPath) { AutoFlush = true };
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        // Kestrel's own line for the address it bound: a /health answer on that port before it proves nothing (another server
        // could hold the port, and ours would exit with "address already in use").
        var listeningLine = $"Now listening on: http://127.0.0.1:{address.Port}";
        var listening = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            if (e.Data.Contains(listeningLine, StringComparison.Ordinal)) listening.TrySetResult();
            lock (log) log.WriteLine(e.Data);
        };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.WriteLine(e.Data); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        LeftoverProcesses.Started(process.Id);
        return new ServiceProcess(name, process, address, logPath, log, listening);
    }

    public bool HasExited => _process.HasExited;
    public int ProcessId => _process.Id;

    /// <summary>Kills the process at once (SIGKILL): no shutdown, no acknowledgements, as a crash would.</summary>
    public async Task KillAsync()
    {
        if (_process.HasExited) return;
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
        LeftoverProcesses.Stopped(_process.Id);
    }

    /// <summary>A client that sends the run's admin key (<see cref="TestCredentials"/>), or <paramref name="key"/> when given.</summary>
    public HttpClient CreateClient(string? key = null) => TestCredentials.Client(BaseAddress, key);

    /// <summary>A client that sends no credential at all.</summary>
    public HttpClient CreateAnonymousClient() => new() { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(60) };

    /// <summary>Waits until this process listens on its address and <c>/health</c> answers 200 there (every dependency
    /// ready); fails with the log tail otherwise.</summary>
    public async Task WaitUntilReadyAsync(TimeSpan timeout)
    {
        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + timeout;
        var last = "no answer yet";
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
                throw new InvalidOperationException($"{Name} exited with code {_process.ExitCode} while starting.\n{LogTail()}");
            if (!_listening.Task.IsCompleted)
            {
                last = "not listening yet";
                await Task.Delay(100);
                continue;
            }
            try
            {
                using var response = await http.GetAsync("health");
                if (response.StatusCode == HttpStatusCode.OK) return;
                last = $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}";
            }
            catch (HttpRequestException e) { last = e.Message; }
            catch (TaskCanceledException) { last = "health check timed out"; }
            await Task.Delay(200);
        }
        throw new TimeoutException($"{Name} not ready after {timeout.TotalSeconds:F0}s (last: {last}).\n{LogTail()}");
    }

    public string LogTail(int lines = 40)
    {
        lock (_log) _log.Flush();
        try
        {
            using var reader = new StreamReader(new FileStream(LogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite));
            var all = reader.ReadToEnd().Split('\n');
            return $"--- last lines of {Name} ({LogPath}) ---\n" + string.Join('\n', all.TakeLast(lines));
        }
        catch (IOException e) { return $"(log of {Name} unreadable: {e.Message})"; }
    }

    public async ValueTask DisposeAsync()
    {
        LeftoverProcesses.Stopped(_process.Id);
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10)).ContinueWith(_ => { });
        }
        _process.Dispose();
        lock (_log) _log.Dispose();
    }

}

public static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    /// <summary>The build configuration the tests were built with; services are taken from the same one.</summary>
    public static string Configuration { get; } =
        Assembly.GetExecutingAssembly().GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";

    public static string TestLogs { get; } = Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "service-logs")).FullName;

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "FeatureStore.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException($"FeatureStore.sln not found above {AppContext.BaseDirectory}");
    }
}
