using FeatureStore.Client;
using FeatureStore.Testing;

namespace FeatureStore.Benchmarks;

/// <summary>
/// A service (the standalone host, or one service alone) as a child process on loopback, built with this benchmark: the
/// tests' <see cref="ServiceProcess"/>, in the Production environment, with a data directory of its own and no sample.
/// </summary>
public sealed class ServiceHost : IAsyncDisposable
{
    private readonly ServiceProcess _process;

    public Uri BaseAddress => _process.BaseAddress;

    /// <summary>The SDK on this host with the run's admin key: what a benchmark sets up goes through it; what it measures is
    /// plain HTTP, so a figure is the server's and not a client's.</summary>
    public FeatureStoreClient Store() => new(new FeatureStoreClientOptions
    {
        Endpoint = BaseAddress, ApiKey = TestCredentials.AdminKey, Timeout = TimeSpan.FromMinutes(30),
    });
    public string DataDirectory { get; }
    public int ProcessId => _process.ProcessId;

    private ServiceHost(ServiceProcess process, string dataDirectory)
    {
        _process = process;
        DataDirectory = dataDirectory;
    }

    /// <summary>The standalone host: all four services in one process.</summary>
    public static Task<ServiceHost> StandaloneAsync(IReadOnlyDictionary<string, string> environment) =>
        StartAsync("standalone", "FeatureStore.Standalone", environment);

    /// <summary>Starts <c>services/{folder}</c>'s <paramref name="assembly"/> and waits until it is healthy.</summary>
    public static async Task<ServiceHost> StartAsync(string folder, string assembly, IReadOnlyDictionary<string, string> environment)
    {
        var data = Directory.CreateTempSubdirectory($"fs-bench-{folder}-").FullName;
        // Unlike a test's service, a benchmark's takes the servers this shell names (eval "$(eng/infra.sh env)").
        var settings = Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>()
            .Where(e => ((string)e.Key).StartsWith("ConnectionStrings__", StringComparison.Ordinal))
            .ToDictionary(e => (string)e.Key, e => (string?)e.Value ?? "");
        foreach (var (key, value) in new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["FeatureStore__DataDirectory"] = data,
            ["Logging__LogLevel__Default"] = "Warning",
            ["FeatureStore__Sample__Enabled"] = "false", // a benchmark asks for the sample when it wants it
        }) settings[key] = value;
        foreach (var (key, value) in environment) settings[key] = value;
        // BENCH_HOST_ENV="K=V;K2=V2": settings for every host a benchmark starts (a GC or trace sampler tried), last.
        var extra = Environment.GetEnvironmentVariable("BENCH_HOST_ENV") ?? "";
        foreach (var setting in extra.Split(';', StringSplitOptions.RemoveEmptyEntries))
            if (setting.Split('=', 2) is [var key, var value]) settings[key] = value;
        var host = new ServiceHost(ServiceProcess.Start(folder, $"services/{folder}", assembly, settings), data);
        try
        {
            await host._process.WaitUntilReadyAsync(TimeSpan.FromSeconds(60));
            return host;
        }
        catch
        {
            await host.DisposeAsync();
            throw;
        }
    }

    /// <summary>The child's peak resident memory so far (VmHWM), in bytes.</summary>
    public long PeakResidentBytes() => ProcessMemory.PeakResidentBytes(ProcessId);

    public long ResidentBytes() => ProcessMemory.ResidentBytes(ProcessId);

    public async ValueTask DisposeAsync()
    {
        await _process.DisposeAsync();
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

