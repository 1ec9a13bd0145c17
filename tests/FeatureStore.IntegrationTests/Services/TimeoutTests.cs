using System.Text;
using System.Text.Json;

namespace FeatureStore.IntegrationTests.Services;

/// <summary>
/// A request past its time limit is one 503 problem naming <c>timeout</c>, on the standalone host (every service's pipeline),
/// and what it was doing is abandoned: here long requests get one millisecond, so an apply cannot finish.
/// </summary>
public sealed class TimeoutTests : IAsyncDisposable
{
    private readonly OwnedResources _resources = new("timeouts");

    [Fact]
    public async Task A_request_past_its_limit_is_one_503_problem_naming_timeout_and_changes_nothing()
    {
        var ct = TestContext.Current.CancellationToken;
        var host = _resources.Own(ServiceProcess.Start("standalone", "services/standalone", "FeatureStore.Standalone",
            new Dictionary<string, string>
            {
                ["FeatureStore__DataDirectory"] = _resources.DataDirectory,
                ["FeatureStore__Sample__Enabled"] = "false",
                ["FeatureStore__Limits__Timeouts__Long"] = "0.001",
            }));
        await host.WaitUntilReadyAsync(TimeSpan.FromSeconds(90));
        using var http = host.CreateClient();

        using var apply = new StringContent("""
            project: timeouts
            entities: [{name: customer, joinKeys: [{name: customer_id, type: int64}]}]
            """, Encoding.UTF8, "application/yaml");
        using var response = await http.PostAsync("api/v1/apply", apply, ct);
        var text = await response.Content.ReadAsStringAsync(ct);

        Assert.True((int)response.StatusCode == 503, $"{(int)response.StatusCode}: {text}\n{host.LogTail()}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        // One document, not the timeout's problem followed by a second one for the cancelled write.
        using var problem = JsonDocument.Parse(text);
        Assert.Equal(["timeout"],
            problem.RootElement.GetProperty("errors").EnumerateArray().Select(e => e.GetProperty("name").GetString()));
        Assert.Contains("long requests", text);
        // The default limit still holds for other requests; the apply was abandoned, not committed.
        var revision = await http.GetForJsonAsync("api/v1/projects/timeouts/revision", ct);
        Assert.Equal(0, revision.GetProperty("revision").GetInt64());
        Assert.False(host.HasExited);
    }

    public ValueTask DisposeAsync() => _resources.DisposeAsync();
}
