using System.Text;
using System.Text.Json;

namespace FeatureStore.IntegrationTests.Security;

/// <summary>
/// Every operation of every service (the standalone host's OpenAPI document) × every kind of caller: without a valid credential
/// always a 401; with one, a 403 exactly when the caller's roles do not allow the operation's declared action in the project the
/// request names — the table of what each built-in role may do is written here, apart from the product's.
/// </summary>
public sealed class AccessMatrixTests(StandaloneSecurityHost host, ITestOutputHelper output) : IClassFixture<StandaloneSecurityHost>
{
    private static readonly string[] ReaderActions = ["describe", "read_online", "read_offline", "predict"];

    private static readonly string[] WriterActions =
        [.. ReaderActions, "create", "update", "delete", "materialize", "write_online", "write_offline", "train"];

    /// <summary>Where the test's request asks for more than the operation's gate: apply without <c>dryRun</c> creates.</summary>
    private static readonly Dictionary<string, string> Demanded = new() { ["POST /api/v1/apply"] = "create" };

    /// <summary>Operations that read their body themselves, so the document lists no media type for it.</summary>
    private static readonly Dictionary<string, string> BodyMediaTypes = new() { ["POST /api/v1/historical-features"] = "application/json" };

    private sealed record Operation(string Method, string Path, string Action, string? MediaType, bool TakesProject);

    [Fact]
    public async Task Every_operation_refuses_or_admits_each_kind_of_caller_as_its_action_says()
    {
        var ct = TestContext.Current.CancellationToken;
        var operations = await OperationsAsync(ct);
        Assert.True(operations.Count >= 50, $"only {operations.Count} operations in the OpenAPI document");
        var (_, reader) = await host.CreateKeyAsync(["*"], ["reader"]);
        var (_, writer) = await host.CreateKeyAsync(["*"], ["writer"]);
        var (_, admin) = await host.CreateKeyAsync(["*"], ["admin"]);
        var (_, otherProject) = await host.CreateKeyAsync(["beta"], ["writer"]);
        var (revokedId, revoked) = await host.CreateKeyAsync(["*"], ["admin"]);
        (await host.Admin.DeleteAsync($"api/v1/admin/keys/{revokedId}", ct)).Dispose();
        var (_, expired) = await host.CreateKeyAsync(["*"], ["admin"], DateTimeOffset.UtcNow.AddSeconds(1));
        await Task.Delay(TimeSpan.FromSeconds(1.5), ct);
        (string Name, string? Key, Func<Operation, bool?> Admitted)[] callers =
        [
            ("no credential", null, _ => false),
            ("wrong key", "fsk_0123456789abcdef_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", _ => false),
            ("revoked key", revoked, _ => false), ("expired key", expired, _ => false),
            ("writer of another project", otherProject, o => o.TakesProject ? false : null),
            ("reader", reader, o => ReaderActions.Contains(o.Action)), ("writer", writer, o => WriterActions.Contains(o.Action)),
            ("admin", admin, o => o.Action != "internal"), ("service identity", TestCredentials.ServiceKey, _ => true),
        ];

        var wrong = new List<string>();
        var checkedCount = 0;
        foreach (var operation in operations)
            foreach (var (name, key, admitted) in callers)
            {
                var expected = admitted(operation);
                var status = await SendAsync(operation, key, ct);
                checkedCount++;
                var authenticated = name is not ("no credential" or "wrong key" or "revoked key" or "expired key");
                var ok = !authenticated ? status == 401
                    : expected is null ? status is not (401 or 500)
                    : expected.Value ? status is not (401 or 403 or 500) : status == 403;
                if (!ok) wrong.Add($"{operation.Method} {operation.Path} ({operation.Action}) as {name}: {status}, expected " +
                                   (!authenticated ? "401" : expected is null ? "not 401" : expected.Value ? "admitted" : "403"));
            }
        output.WriteLine($"access matrix: {operations.Count} operations x {callers.Length} callers = {checkedCount} requests, " +
                         $"{wrong.Count} wrong");
        Assert.True(wrong.Count == 0, string.Join('\n', wrong));
    }

    private async Task<List<Operation>> OperationsAsync(CancellationToken ct)
    {
        using var anonymous = host.Host.CreateAnonymousClient();
        using var document = JsonDocument.Parse(await anonymous.GetStringAsync("openapi/v1.json", ct));
        var operations = new List<Operation>();
        foreach (var path in document.RootElement.GetProperty("paths").EnumerateObject())
            foreach (var verb in path.Value.EnumerateObject())
            {
                if (!verb.Value.TryGetProperty("x-featurestore-action", out var action)) continue;
                var method = verb.Name.ToUpperInvariant();
                var takesProjectQuery = verb.Value.TryGetProperty("parameters", out var parameters) &&
                                        parameters.EnumerateArray().Any(p => p.GetProperty("name").GetString() == "project");
                var key = $"{method} {path.Name}";
                string? mediaType = verb.Value.TryGetProperty("requestBody", out var body)
                    ? body.GetProperty("content").EnumerateObject().Select(c => c.Name).FirstOrDefault()
                    : BodyMediaTypes.GetValueOrDefault(key);
                var takesProject = takesProjectQuery || path.Name.Contains("{project}") || (mediaType == "application/json" &&
                    body.ValueKind == JsonValueKind.Object && BodyHasProject(document.RootElement, body));
                operations.Add(new Operation(method, path.Name, Demanded.GetValueOrDefault(key, action.GetString()!), mediaType,
                    takesProject));
            }
        return operations;
    }

    /// <summary>Whether the JSON body's schema has a <c>project</c> member (following one <c>$ref</c>).</summary>
    private static bool BodyHasProject(JsonElement document, JsonElement body)
    {
        if (!body.GetProperty("content").TryGetProperty("application/json", out var json) ||
            !json.TryGetProperty("schema", out var schema)) return false;
        if (schema.TryGetProperty("$ref", out var reference))
            schema = document.GetProperty("components").GetProperty("schemas").GetProperty(reference.GetString()!.Split('/')[^1]);
        return schema.TryGetProperty("properties", out var properties) && properties.TryGetProperty("project", out _);
    }

    private async Task<int> SendAsync(Operation operation, string? key, CancellationToken ct)
    {
        var path = operation.Path.TrimStart('/')
            .Replace("{project}", "alpha").Replace("{entity}", "customer").Replace("{id}", Guid.Empty.ToString())
            .Replace("{version}", "1").Replace("{name}", "customer");
        if (operation.TakesProject && !operation.Path.Contains("{project}") && operation.MediaType != "application/json")
            path += (path.Contains('?') ? "&" : "?") + "project=alpha";
        if (operation.Path.Contains("{") is false && operation.MediaType is null && operation.TakesProject && !path.Contains("project="))
            path += "?project=alpha";
        using var http = host.Host.CreateAnonymousClient();
        using var request = new HttpRequestMessage(new HttpMethod(operation.Method), path);
        if (key is not null) request.Headers.TryAddWithoutValidation(TestCredentials.Header, key);
        if (operation.MediaType is { } mediaType)
            request.Content = new StringContent(mediaType switch
            {
                "application/json" => operation.TakesProject ? """{"project":"alpha"}""" : "{}",
                "text/csv" => "customer_id\n1\n",
                _ => "project: alpha\n",
            }, Encoding.UTF8, mediaType);
        using var response = await http.SendAsync(request, ct);
        return (int)response.StatusCode;
    }
}
