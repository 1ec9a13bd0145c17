using System.Net.Http.Json;
using System.Text.Json;

namespace FeatureStore.IntegrationTests.Security;

/// <summary>
/// The standalone host (every service's endpoints in one process) with no sample, for the access tests: a project
/// <c>alpha</c> and a project <c>beta</c> applied, and keys made through the admin API as a test asks.
/// </summary>
public class StandaloneSecurityHost : IAsyncLifetime
{
    private readonly string _data = Path.Combine(Path.GetTempPath(), $"fs-security-{Guid.NewGuid():N}");

    public ServiceProcess Host { get; private set; } = null!;

    /// <summary>Where the host keeps its embedded backends (the registry's SQLite database among them).</summary>
    public string DataDirectory => _data;

    public HttpClient Admin { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        Host = ServiceProcess.Start("standalone-security", "services/standalone", "FeatureStore.Standalone",
            new Dictionary<string, string> { ["FeatureStore__DataDirectory"] = _data, ["FeatureStore__Sample__Enabled"] = Sample });
        await Host.WaitUntilReadyAsync(TimeSpan.FromSeconds(90));
        Admin = Host.CreateClient();
        await PrepareAsync();
    }

    /// <summary>Whether the first-start churn sample runs ("true"/"false").</summary>
    protected virtual string Sample => "false";

    /// <summary>What the tests need beyond the host: here, projects alpha and beta.</summary>
    protected virtual async Task PrepareAsync()
    {
        foreach (var project in new[] { "alpha", "beta" })
        {
            var applied = await Admin.ApplyYamlAsync($$"""
                project: {{project}}
                entities:
                  - name: customer
                    joinKeys: [{name: customer_id, type: int64}]
                """);
            Assert.True(applied.Status == 200, applied.Text);
        }
    }

    /// <summary>A new key with these projects and roles (and expiry); answers its id and text.</summary>
    public async Task<(string Id, string Text)> CreateKeyAsync(string[] projects, string[] roles, DateTimeOffset? expiresAt = null,
        int? requestsPerSecond = null)
    {
        using var response = await Admin.PostAsJsonAsync("api/v1/admin/keys",
            new { name = $"test {string.Join('+', roles)}", owner = "security tests", projects, roles, expiresAt, requestsPerSecond });
        var answer = await Answer.ReadAsync(response);
        Assert.True(answer.Status == 201, answer.Text);
        return (answer.Body.GetProperty("key").GetProperty("id").GetString()!, answer.Body.GetProperty("secret").GetString()!);
    }

    public async Task<Answer> SendAsync(HttpMethod method, string path, string? key, object? body = null,
        string header = TestCredentials.Header)
    {
        using var http = Host.CreateAnonymousClient();
        using var request = new HttpRequestMessage(method, path);
        if (body is not null) request.Content = JsonContent.Create(body);
        if (key is not null && header == "Authorization") request.Headers.TryAddWithoutValidation("Authorization", $"Bearer {key}");
        else if (key is not null) request.Headers.TryAddWithoutValidation(header, key);
        return await Answer.ReadAsync(await http.SendAsync(request));
    }

    public static string Reason(Answer answer) =>
        answer.Body.ValueKind == JsonValueKind.Object && answer.Body.TryGetProperty("errors", out var errors) && errors.GetArrayLength() > 0
            ? errors[0].GetProperty("reason").GetString()!
            : answer.Text;

    public async ValueTask DisposeAsync()
    {
        Admin?.Dispose();
        if (Host is not null) await Host.DisposeAsync();
        try { Directory.Delete(_data, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
