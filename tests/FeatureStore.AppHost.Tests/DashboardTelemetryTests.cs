using System.Net.Http.Json;
using System.Text.Json;

namespace FeatureStore.AppHost.Tests;

/// <summary>The dashboard's telemetry HTTP API shows what every service sends it.</summary>
public sealed class DashboardTelemetryTests(AppHostFixture fixture)
{
    private static readonly string[] Services = ["registry", "pipeline-worker", "feature-api", "model-api"];

    [Fact]
    public async Task Every_service_sends_logs_traces_and_metrics()
    {
        var ct = TestContext.Current.CancellationToken;
        using var dashboard = new HttpClient { BaseAddress = fixture.DashboardUrl };
        dashboard.DefaultRequestHeaders.Add("x-api-key", fixture.DashboardApiKey);
        JsonElement resources = default;
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (true)
        {
            using var response = await dashboard.GetAsync("api/telemetry/resources", ct);
            var text = await response.Content.ReadAsStringAsync(ct);
            Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {text}");
            resources = JsonDocument.Parse(text).RootElement;
            if (Services.All(s => Telemetry(resources, s) == (true, true, true)) || DateTime.UtcNow > deadline) break;
            await Task.Delay(2000, ct);
        }
        foreach (var service in Services) Assert.True(Telemetry(resources, service) == (true, true, true), $"{service}: {resources}");
    }

    private static (bool Logs, bool Traces, bool Metrics) Telemetry(JsonElement resources, string service)
    {
        var found = resources.EnumerateArray()
            .Where(r => (r.TryGetProperty("name", out var n) ? n.GetString() : null)?.StartsWith(service, StringComparison.Ordinal) == true)
            .ToList();
        bool Any(string property) => found.Any(r => r.TryGetProperty(property, out var v) && v.ValueKind == JsonValueKind.True);
        return (Any("hasLogs"), Any("hasTraces"), Any("hasMetrics"));
    }
}
