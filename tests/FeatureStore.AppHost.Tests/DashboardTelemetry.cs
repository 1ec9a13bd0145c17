using System.Text.Json;

namespace FeatureStore.AppHost.Tests;

/// <summary>
/// A span as the dashboard's telemetry API returns it (OTLP JSON), flattened: the service and instance (a replica) that sent it,
/// its ids, name, kind (OTLP's number: 1 internal, 2 server, 3 client, 4 producer, 5 consumer) and attributes.
/// </summary>
public sealed record TelemetrySpan(string Service, string Instance, string TraceId, string SpanId, string? ParentSpanId,
    string Name, string Kind,
    DateTimeOffset Start, DateTimeOffset End, IReadOnlyDictionary<string, string> Attributes)
{
    public override string ToString() =>
        $"{Start:HH:mm:ss.fff} {Service}/{Instance} {Kind} {Name} [{SpanId} <- {ParentSpanId}] " +
        $"{string.Join(' ', Attributes.Select(a => $"{a.Key}={a.Value}"))}";
}

/// <summary>
/// The dashboard's telemetry HTTP API (<c>/api/telemetry/*</c>, key in <c>x-api-key</c>). Its answers are OTLP JSON:
/// <c>{"data":{"resourceSpans":[{"resource":{"attributes":[…service.name…]},"scopeSpans":[{"spans":[…]}]}]},"totalCount":…}</c>.
/// </summary>
public sealed class DashboardTelemetry(AppHostFixture fixture) : IDisposable
{
    private readonly HttpClient _http = CreateClient(fixture);

    private static HttpClient CreateClient(AppHostFixture fixture)
    {
        var http = new HttpClient { BaseAddress = fixture.DashboardUrl };
        http.DefaultRequestHeaders.Add("x-api-key", fixture.DashboardApiKey);
        return http;
    }

    /// <summary>The spans of one trace; empty while the dashboard has none of it (404).</summary>
    public async Task<IReadOnlyList<TelemetrySpan>> TraceAsync(string traceId, CancellationToken ct)
    {
        using var response = await _http.GetAsync($"api/telemetry/traces/{traceId}", ct);
        var text = await response.Content.ReadAsStringAsync(ct);
        if (response.StatusCode == System.Net.HttpStatusCode.NotFound) return [];
        Assert.True(response.IsSuccessStatusCode, $"traces/{traceId}: {(int)response.StatusCode} {text}");
        return Parse(text);
    }

    /// <summary>The most recent spans (all resources, or the given ones), oldest first.</summary>
    public async Task<IReadOnlyList<TelemetrySpan>> SpansAsync(CancellationToken ct, int limit = 5000, params string[] resources)
    {
        var query = string.Concat(resources.Select(r => $"&resource={Uri.EscapeDataString(r)}"));
        using var response = await _http.GetAsync($"api/telemetry/spans?limit={limit}{query}", ct);
        var text = await response.Content.ReadAsStringAsync(ct);
        Assert.True(response.IsSuccessStatusCode, $"spans: {(int)response.StatusCode} {text}");
        return Parse(text);
    }

    /// <summary>
    /// Polls a trace until <paramref name="complete"/> holds: services export their spans in batches every few seconds, so
    /// the last ones arrive a while after the work is done. Returns what it has when time runs out, for the assertion to name.
    /// </summary>
    public async Task<IReadOnlyList<TelemetrySpan>> AwaitTraceAsync(string traceId,
        Func<IReadOnlyList<TelemetrySpan>, bool> complete, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        IReadOnlyList<TelemetrySpan> spans = [];
        while (DateTime.UtcNow < deadline)
        {
            spans = await TraceAsync(traceId, ct);
            if (complete(spans)) break;
            await Task.Delay(1000, ct);
        }
        return spans;
    }

    public static IReadOnlyList<TelemetrySpan> Parse(string json)
    {
        var spans = new List<TelemetrySpan>();
        var root = JsonDocument.Parse(json).RootElement;
        if (!root.TryGetProperty("data", out var data) || !data.TryGetProperty("resourceSpans", out var resourceSpans)) return spans;
        foreach (var resource in resourceSpans.EnumerateArray())
        {
            var about = Attributes(resource.GetProperty("resource"));
            var (service, instance) = (about.GetValueOrDefault("service.name", "?"), about.GetValueOrDefault("service.instance.id", "?"));
            foreach (var scope in resource.GetProperty("scopeSpans").EnumerateArray())
                foreach (var span in scope.GetProperty("spans").EnumerateArray())
                {
                    var parent = span.TryGetProperty("parentSpanId", out var p) ? p.GetString() : null;
                    spans.Add(new TelemetrySpan(service, instance, span.GetProperty("traceId").GetString()!,
                        span.GetProperty("spanId").GetString()!,
                        string.IsNullOrEmpty(parent) ? null : parent, span.GetProperty("name").GetString()!,
                        span.TryGetProperty("kind", out var kind) ? kind.ToString() : "", Time(span, "startTimeUnixNano"),
                        Time(span, "endTimeUnixNano"),
                        Attributes(span)));
                }
        }
        return spans.OrderBy(s => s.Start).ToList();
    }

    private static DateTimeOffset Time(JsonElement span, string property)
    {
        var value = span.GetProperty(property);
        var nanos = value.ValueKind == JsonValueKind.String ? ulong.Parse(value.GetString()!) : value.GetUInt64();
        return DateTimeOffset.UnixEpoch.AddTicks((long)(nanos / 100));
    }

    private static Dictionary<string, string> Attributes(JsonElement element)
    {
        var attributes = new Dictionary<string, string>();
        if (!element.TryGetProperty("attributes", out var list)) return attributes;
        foreach (var attribute in list.EnumerateArray())
        {
            var value = attribute.GetProperty("value");
            // OTLP JSON wraps each value in its type ({"stringValue":…}, {"intValue":…}); the text of the one member is enough here.
            var text = value.ValueKind == JsonValueKind.Object
                ? string.Join(",", value.EnumerateObject().Select(m => m.Value.ToString())) : value.ToString();
            attributes[attribute.GetProperty("key").GetString()!] = text;
        }
        return attributes;
    }

    public void Dispose() => _http.Dispose();
}
