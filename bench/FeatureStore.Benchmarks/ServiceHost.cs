using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace FeatureStore.Benchmarks;

/// <summary>A service (the standalone host, or one service alone) as a child process on loopback, built with this benchmark.</summary>
public sealed class ServiceHost : IAsyncDisposable
{
    private readonly Process _process;

    public Uri BaseAddress { get; }
    public string DataDirectory { get; }
    public int ProcessId => _process.Id;

    private ServiceHost(Process process, Uri baseAddress, string dataDirectory)
    {
        _process = process;
        BaseAddress = baseAddress;
        DataDirectory = dataDirectory;
    }

    /// <summary>The standalone host: all four services in one process.</summary>
    public static Task<ServiceHost> StandaloneAsync(IReadOnlyDictionary<string, string> environment) =>
        StartAsync("standalone", "FeatureStore.Standalone", environment);

    /// <summary>Starts <c>services/{folder}</c>'s <paramref name="assembly"/> and waits until it is healthy.</summary>
    public static async Task<ServiceHost> StartAsync(string folder, string assembly, IReadOnlyDictionary<string, string> environment)
    {
        // bench/FeatureStore.Benchmarks/bin/{Configuration}/{tfm}/ → services/standalone/bin/{Configuration}/{tfm}/ (built first: a project reference).
        var output = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var root = output.Parent!.Parent!.Parent!.Parent!.Parent!.FullName;
        var dll = Path.Combine(root, "services", folder, "bin", output.Parent!.Name, output.Name, assembly + ".dll");
        if (!File.Exists(dll)) throw new FileNotFoundException($"{folder} is built with the benchmark", dll);
        var port = FreePort();
        var data = Directory.CreateTempSubdirectory($"fs-bench-{folder}-").FullName;
        var start = new ProcessStartInfo("dotnet", [dll]) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Path.GetDirectoryName(dll)! };
        start.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        start.Environment["FeatureStore__DataDirectory"] = data;
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        start.Environment["FeatureStore__Sample__Enabled"] = "false"; // a benchmark asks for the sample when it wants it
        foreach (var (key, value) in environment) start.Environment[key] = value;
        var process = Process.Start(start)!;
        // Failures are worth seeing; the rest of the log is noise here.
        process.OutputDataReceived += (_, e) => { if (e.Data is { } line && (line.Contains("fail:") || line.Contains("Exception"))) Console.Error.WriteLine($"  [{folder}] {line}"); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) Console.Error.WriteLine($"  [{folder}] {e.Data}"); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var host = new ServiceHost(process, new Uri($"http://127.0.0.1:{port}/"), data);
        using var http = new HttpClient { BaseAddress = host.BaseAddress };
        for (var attempt = 0; attempt < 300; attempt++)
        {
            try
            {
                if ((await http.GetAsync("health")).StatusCode == HttpStatusCode.OK) return host;
            }
            catch (HttpRequestException) { }
            await Task.Delay(200);
        }
        await host.DisposeAsync();
        throw new TimeoutException($"{folder} did not become healthy in 60 s");
    }

    /// <summary>The child's peak resident memory so far (VmHWM), in bytes.</summary>
    public long PeakResidentBytes() => ProcessMemory.PeakResidentBytes(_process.Id);

    public long ResidentBytes() => ProcessMemory.ResidentBytes(_process.Id);

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
        _process.Dispose();
        try { Directory.Delete(DataDirectory, recursive: true); } catch (IOException) { }
    }
}

public static class ProcessMemory
{
    public static long PeakResidentBytes(int pid) => Field(pid, "VmHWM:");

    public static long ResidentBytes(int pid) => Field(pid, "VmRSS:");

    private static long Field(int pid, string name)
    {
        var line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith(name, StringComparison.Ordinal));
        return long.Parse(line[name.Length..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture) * 1024;
    }
}
