using FeatureStore.Storage.Objects;

namespace FeatureStore.IntegrationTests.Services;

/// <summary>
/// registry, pipeline-worker, feature-api and model-api as four separate processes on one isolated slice
/// of the real servers, talking HTTP (service discovery) and RabbitMQ. Started on first use, so a test
/// can still skip (outside CI) when the servers are missing.
/// </summary>
public sealed class ServiceCluster : IAsyncDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly List<ServiceProcess> _processes = [];
    private Task? _started;

    public IsolatedBackends Backends { get; private set; } = null!;
    public ServiceProcess Registry { get; private set; } = null!;
    public ServiceProcess Worker { get; private set; } = null!;
    public ServiceProcess FeatureApi { get; private set; } = null!;

    /// <summary>The first feature-api's gRPC (h2c) address: Feast's serving API.</summary>
    public Uri FeatureApiGrpc { get; private set; } = null!;
    public ServiceProcess ModelApi { get; private set; } = null!;
    public IObjectStore Objects { get; private set; } = null!;

    public async Task<ServiceCluster> StartAsync()
    {
        await TestInfrastructure.RequireAsync();
        await _gate.WaitAsync();
        try { _started ??= StartAllAsync(); }
        finally { _gate.Release(); }
        await _started;
        return this;
    }

    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), $"fs-cluster-{Guid.NewGuid():N}");
    private Dictionary<string, string> _environment = [];

    private async Task StartAllAsync()
    {
        Backends = await IsolatedBackends.CreateAsync();
        var environment = _environment = Backends.ServiceEnvironment();
        environment["FeatureStore__DataDirectory"] = _dataDirectory;
        environment["FeatureStore__Scheduler__Interval"] = "00:00:01";
        environment["FeatureStore__Usage__ReportInterval"] = "00:00:01";
        environment["FeatureStore__FeatureLogging__FlushInterval"] = "00:00:01";
        Registry = Track(ServiceProcess.Start("registry", "services/registry", "FeatureStore.Registry", environment));
        // The others find the registry the way Aspire tells them: services__registry__http__0.
        environment["services__registry__http__0"] = Registry.BaseAddress.ToString();
        Worker = Track(ServiceProcess.Start("pipeline-worker", "services/pipeline-worker", "FeatureStore.PipelineWorker", environment));
        FeatureApiGrpc = new Uri($"http://127.0.0.1:{LoopbackPorts.Free()}");
        FeatureApi = Track(ServiceProcess.Start("feature-api", "services/feature-api", "FeatureStore.FeatureApi",
            new Dictionary<string, string>(environment)
            {
                ["FeatureStore__Grpc__Port"] = FeatureApiGrpc.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            }));
        environment["services__feature-api__http__0"] = FeatureApi.BaseAddress.ToString();
        ModelApi = Track(ServiceProcess.Start("model-api", "services/model-api", "FeatureStore.ModelApi", environment));
        await Task.WhenAll(_processes.Select(p => p.WaitUntilReadyAsync(TimeSpan.FromSeconds(90))));
        Objects = new S3ObjectStore(S3ObjectStore.CreateClient(TestInfrastructure.Minio), Backends.Bucket);
    }

    private ServiceProcess Track(ServiceProcess process)
    {
        _processes.Add(process);
        return process;
    }

    /// <summary>Starts one more pipeline-worker replica (it competes for partitions with the others).</summary>
    public async Task<ServiceProcess> StartWorkerAsync()
    {
        var worker = Track(ServiceProcess.Start($"pipeline-worker-{_processes.Count}", "services/pipeline-worker",
            "FeatureStore.PipelineWorker", new Dictionary<string, string>(_environment)
            { ["FeatureStore__DataDirectory"] = Path.Combine(_dataDirectory, $"worker-{_processes.Count}") }));
        await worker.WaitUntilReadyAsync(TimeSpan.FromSeconds(90));
        return worker;
    }

    /// <summary>Starts one more feature-api replica (serving beside the first; each reports its own usage), with
    /// <paramref name="settings"/> of its own.</summary>
    public async Task<ServiceProcess> StartFeatureApiAsync(IReadOnlyDictionary<string, string>? settings = null)
    {
        var environment = new Dictionary<string, string>(_environment)
        { ["FeatureStore__DataDirectory"] = Path.Combine(_dataDirectory, $"feature-api-{_processes.Count}") };
        foreach (var (key, value) in settings ?? new Dictionary<string, string>()) environment[key] = value;
        var featureApi = Track(ServiceProcess.Start($"feature-api-{_processes.Count}", "services/feature-api", "FeatureStore.FeatureApi",
            environment));
        await featureApi.WaitUntilReadyAsync(TimeSpan.FromSeconds(90));
        return featureApi;
    }

    /// <summary>Every service process started so far.</summary>
    public IReadOnlyList<ServiceProcess> Processes => _processes;

    /// <summary>Every pipeline-worker replica started so far, killed ones included.</summary>
    public IEnumerable<ServiceProcess> Workers => _processes.Where(p => p.Name.StartsWith("pipeline-worker", StringComparison.Ordinal));

    /// <summary>The last log lines of every service, for failure messages.</summary>
    public string Diagnostics() => string.Join("\n", _processes.Select(p => p.LogTail(25)));

    public Task PutSourceAsync(string key, byte[] data) => Objects.PutAsync(key, new MemoryStream(data), CancellationToken.None);

    public async ValueTask DisposeAsync()
    {
        foreach (var process in _processes) await process.DisposeAsync();
        if (Backends is not null) await Backends.DisposeAsync();
        try { Directory.Delete(_dataDirectory, recursive: true); } catch (IOException) { }
    }
}
