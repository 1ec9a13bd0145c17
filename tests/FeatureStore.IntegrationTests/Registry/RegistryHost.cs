using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using FeatureStore.Storage.Objects;

namespace FeatureStore.IntegrationTests.Registry;

/// <summary>
/// The registry service as its own process, on PostgreSQL or (no registry connection string) on its
/// embedded SQLite store; with its own RabbitMQ virtual host and S3 bucket. Started on first use.
/// </summary>
public abstract class RegistryHost : IAsyncDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), $"fs-registry-{Guid.NewGuid():N}");
    private Task? _started;

    protected abstract bool UsePostgres { get; }

    /// <summary>Settings a particular host adds to the service's environment (such as a smaller upload limit).</summary>
    protected virtual void Configure(Dictionary<string, string> environment) { }

    public IsolatedBackends Backends { get; private set; } = null!;
    public ServiceProcess Process { get; private set; } = null!;
    public IObjectStore Objects { get; private set; } = null!;

    public async Task<RegistryHost> StartAsync()
    {
        await TestInfrastructure.RequireAsync();
        await _gate.WaitAsync();
        try { _started ??= StartProcessAsync(); }
        finally { _gate.Release(); }
        await _started;
        return this;
    }

    private async Task StartProcessAsync()
    {
        Backends = await IsolatedBackends.CreateAsync();
        var environment = Backends.ServiceEnvironment();
        if (!UsePostgres)
        {
            environment.Remove("ConnectionStrings__registry");
            environment["FeatureStore__DataDirectory"] = _dataDirectory;
        }
        Configure(environment);
        Process = ServiceProcess.Start(UsePostgres ? "registry-pg" : "registry-sqlite", "services/registry",
            "FeatureStore.Registry", environment);
        await Process.WaitUntilReadyAsync(TimeSpan.FromSeconds(90));
        Objects = new S3ObjectStore(S3ObjectStore.CreateClient(TestInfrastructure.Minio), Backends.Bucket);
    }

    public HttpClient CreateClient() => Process.CreateClient();

    public async ValueTask DisposeAsync()
    {
        if (_started is not null) await Process.DisposeAsync();
        if (Backends is not null) await Backends.DisposeAsync();
        try { Directory.Delete(_dataDirectory, recursive: true); } catch (IOException) { } // DirectoryNotFoundException included
    }
}

public sealed class PostgresRegistryHost : RegistryHost
{
    protected override bool UsePostgres => true;
}

public sealed class SqliteRegistryHost : RegistryHost
{
    protected override bool UsePostgres => false;
}
