using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;

namespace FeatureStore.IntegrationTests.Services;

/// <summary>
/// The standalone host composes the registry module, so a user uploads source data through it instead of finding
/// its local object folder; the pipeline in the same process then materializes from the uploaded file.
/// </summary>
public sealed class StandaloneUploadTests : IAsyncLifetime
{
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), $"fs-standalone-upload-{Guid.NewGuid():N}");
    private ServiceProcess? _host;

    public async ValueTask InitializeAsync()
    {
        _host = ServiceProcess.Start("standalone-upload", "services/standalone", "FeatureStore.Standalone",
            new Dictionary<string, string>
            { ["FeatureStore__DataDirectory"] = _dataDirectory, ["FeatureStore__Sample__Enabled"] = "false" });
        await _host.WaitUntilReadyAsync(TimeSpan.FromSeconds(90));
    }

    [Fact]
    public async Task An_uploaded_source_is_materialized_and_served()
    {
        var ct = TestContext.Current.CancellationToken;
        using var http = _host!.CreateClient();
        const string project = "uploads";
        var key = $"sources/{project}/customer_stats.parquet";
        await Repositories.ApplyAsync(http,
            Repositories.Customers(project, new TestView("customer_stats", key, "10d", ("purchases", "int64"), ("segment", "string"))));
        var now = DateTime.UtcNow;
        var file = await SourceData.ToParquetAsync(new CustomerStatsRow[]
        {
            new() { customer_id = 1, event_timestamp = now.AddDays(-2), created = now.AddDays(-2), purchases = 5, segment = "new" },
            new() { customer_id = 1, event_timestamp = now.AddDays(-1), created = now.AddDays(-1), purchases = 7, segment = "regular" },
        });

        var content = new ByteArrayContent(file) { Headers = { ContentType = new MediaTypeHeaderValue("application/vnd.apache.parquet") } };
        using var upload = await http.PutAsync($"api/v1/data-sources/customer_stats_source/file?project={project}", content, ct);
        var uploaded = await upload.Content.ReadAsStringAsync(ct);
        Assert.True(upload.StatusCode == HttpStatusCode.OK, uploaded);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(file)),
            JsonDocument.Parse(uploaded).RootElement.GetProperty("fingerprint").GetString());
        Assert.Equal(file,
            await File.ReadAllBytesAsync(Path.Combine(_dataDirectory, "objects", "sources", project, "customer_stats.parquet"), ct));

        var job = await Materializations.MaterializeAsync(http, project, "customer_stats", now.AddDays(-3), now, () => _host.LogTail());
        Assert.Equal(2, job.RowsRead);
        var online = await http.PostForJsonAsync("api/v1/online-features", new
        {
            project,
            entities = new Dictionary<string, long[]> { ["customer_id"] = [1] },
            features = new[] { "customer_stats:purchases" },
        }, ct);
        Assert.Equal(7, online.GetProperty("results")[0].GetProperty("values").GetProperty("purchases").GetInt64());
    }

    public async ValueTask DisposeAsync()
    {
        if (_host is not null) await _host.DisposeAsync();
        try { Directory.Delete(_dataDirectory, recursive: true); } catch (IOException) { }
    }
}
