using System.Net;
using System.Text.Json;
using FeatureStore.Storage.Objects;

namespace FeatureStore.IntegrationTests.Services;

/// <summary>The standalone host: all four services in one process on embedded backends, walked like the real deployment.</summary>
public sealed class StandaloneTests : IAsyncLifetime
{
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), $"fs-standalone-{Guid.NewGuid():N}");
    private ServiceProcess? _host;

    public async ValueTask InitializeAsync()
    {
        _host = ServiceProcess.Start("standalone", "services/standalone", "FeatureStore.Standalone",
            new Dictionary<string, string>
            { ["FeatureStore__DataDirectory"] = _dataDirectory, ["FeatureStore__Sample__Customers"] = "300" });
        await _host.WaitUntilReadyAsync(TimeSpan.FromSeconds(90));
    }

    [Fact]
    public async Task Apply_materialize_and_serve_run_in_one_process_without_any_server()
    {
        using var http = _host!.CreateClient();
        var objects = new LocalFolderObjectStore(Path.Combine(_dataDirectory, "objects"));
        await ApplyMaterializeServe.WalkAsync(http, http,
            (key, data) => objects.PutAsync(key, new MemoryStream(data), CancellationToken.None), "default",
            () => _host.LogTail());
    }

    [Fact]
    public async Task The_first_start_runs_the_churn_sample_by_itself_up_to_a_prediction()
    {
        using var http = _host!.CreateClient();
        var deadline = DateTime.UtcNow.AddMinutes(3);
        JsonElement models;
        do
        {
            await Task.Delay(500, TestContext.Current.CancellationToken);
            models = await http.GetForJsonAsync("api/v1/models/churn", TestContext.Current.CancellationToken);
            Assert.True(DateTime.UtcNow < deadline, $"no promoted churn model after 3 minutes\n{_host.LogTail()}");
        } while (models.GetProperty("promoted").ValueKind == JsonValueKind.Null);

        var prediction = await http.PostForJsonAsync("api/v1/predict/churn", new { customerId = 1 }, TestContext.Current.CancellationToken);
        Assert.Equal(models.GetProperty("promoted").GetInt32(), prediction.GetProperty("modelVersion").GetInt32());
        Assert.InRange(prediction.GetProperty("probability").GetDouble(), 0, 1);
    }

    [Fact]
    public async Task Health_reports_the_embedded_backends()
    {
        using var http = _host!.CreateClient();
        using var response = await http.GetAsync("health", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var checks = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))
            .RootElement.GetProperty("checks");
        Assert.Equal("sqlite", checks.GetProperty("registry-db").GetProperty("description").GetString());
        Assert.StartsWith("SQLite", checks.GetProperty("online-store").GetProperty("description").GetString());
        Assert.Equal("in process", checks.GetProperty("registry-service").GetProperty("description").GetString());
        Assert.True(Directory.Exists(_dataDirectory));
    }

    [Fact]
    public async Task The_OpenAPI_document_describes_all_four_services()
    {
        using var http = _host!.CreateClient();
        var paths = (await http.GetForJsonAsync("openapi/v1.json", TestContext.Current.CancellationToken)).GetProperty("paths");
        // One route of each service: registry, feature-api, pipeline-worker, model-api.
        foreach (var route in new[] { "/api/v1/apply", "/api/v1/online-features", "/api/v1/worker/jobs", "/api/v1/models/churn/train" })
            Assert.True(paths.TryGetProperty(route, out _), $"{route} is not in the document");
        // Definitions (whose versions carry a creation time) are described too.
        var entity = paths.GetProperty("/api/v1/entities/{name}").GetProperty("get").GetProperty("responses").GetProperty("200");
        Assert.Equal(JsonValueKind.Object, entity.ValueKind);
    }

    public async ValueTask DisposeAsync()
    {
        if (_host is not null) await _host.DisposeAsync();
        try { Directory.Delete(_dataDirectory, recursive: true); } catch (IOException) { }
    }
}
