using System.Net.Http.Json;

namespace FeatureStore.IntegrationTests.Security;

/// <summary>Who may call at all: credentials as headers, keys made, listed, revoked and expired through the admin API.</summary>
public sealed class AuthenticationTests(StandaloneSecurityHost host) : IClassFixture<StandaloneSecurityHost>
{
    /// <summary>An operation of each service (registry, feature-api incl. Feast's route, model-api, pipeline-worker).</summary>
    public static TheoryData<string, string> OneOperationPerService => new()
    {
        { "GET", "api/v1/projects" },
        { "GET", "api/v1/feature-views?project=alpha" },
        { "POST", "api/v1/online-features" },
        { "POST", "get-online-features" },
        { "GET", "api/v1/models/churn" },
        { "GET", "api/v1/worker/jobs" },
        { "GET", "api/v1/admin/keys" },
    };

    [Theory]
    [MemberData(nameof(OneOperationPerService))]
    public async Task A_call_without_a_credential_is_a_401_problem_naming_the_header(string method, string path)
    {
        var answer = await host.SendAsync(new HttpMethod(method), path, key: null, body: method == "POST" ? new { } : null);
        Assert.Equal(401, answer.Status);
        Assert.Equal(["X-API-Key"], answer.ErrorFields);
        Assert.Contains("Bearer", answer.Headers.WwwAuthenticate.ToString());
        Assert.Equal(401, answer.Body.GetProperty("status").GetInt32());
    }

    [Theory]
    [InlineData("not-a-key")]
    [InlineData("fsk_0123456789abcdef_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    public async Task A_key_nobody_made_is_a_401_whichever_header_carries_it(string key)
    {
        foreach (var header in new[] { TestCredentials.Header, "Authorization" })
        {
            var answer = await host.SendAsync(HttpMethod.Get, "api/v1/projects", key, header: header);
            Assert.Equal(401, answer.Status);
            Assert.Contains("is not an API key this deployment knows", StandaloneSecurityHost.Reason(answer));
            Assert.DoesNotContain(key, answer.Text);
        }
    }

    [Fact]
    public async Task A_new_key_works_as_either_header_is_listed_without_its_secret_and_records_its_use()
    {
        var (id, text) = await host.CreateKeyAsync(["alpha"], ["reader"]);
        Assert.StartsWith("fsk_" + id + "_", text);
        Assert.Equal(200, (await host.SendAsync(HttpMethod.Get, "api/v1/entities?project=alpha", text)).Status);
        Assert.Equal(200, (await host.SendAsync(HttpMethod.Get, "api/v1/entities?project=alpha", text, header: "Authorization")).Status);

        var listed = await host.Admin.GetAnswerAsync("api/v1/admin/keys");
        Assert.Equal(200, listed.Status);
        Assert.DoesNotContain(text, listed.Text);
        Assert.DoesNotContain(text[^43..], listed.Text);
        var mine = listed.Body.EnumerateArray().Single(k => k.GetProperty("id").GetString() == id);
        Assert.Equal(["alpha"], mine.GetProperty("projects").EnumerateArray().Select(p => p.GetString()));
        Assert.NotEqual(System.Text.Json.JsonValueKind.Null, mine.GetProperty("lastUsedAt").ValueKind);
    }

    [Fact]
    public async Task A_revoked_key_is_refused_at_once_in_the_process_that_revoked_it_and_cannot_be_revoked_twice()
    {
        var (id, text) = await host.CreateKeyAsync(["alpha"], ["reader"]);
        Assert.Equal(200, (await host.SendAsync(HttpMethod.Get, "api/v1/entities?project=alpha", text)).Status);

        using var revoke = await host.Admin.DeleteAsync($"api/v1/admin/keys/{id}", TestContext.Current.CancellationToken);
        Assert.Equal(System.Net.HttpStatusCode.OK, revoke.StatusCode);
        var refused = await host.SendAsync(HttpMethod.Get, "api/v1/entities?project=alpha", text);
        Assert.Equal(401, refused.Status);
        Assert.Contains("was revoked", StandaloneSecurityHost.Reason(refused));

        var again = await Answer.ReadAsync(await host.Admin.DeleteAsync($"api/v1/admin/keys/{id}", TestContext.Current.CancellationToken));
        Assert.Equal(409, again.Status);
        var unknown = await host.Admin.DeleteAsync("api/v1/admin/keys/0000000000000000", TestContext.Current.CancellationToken);
        Assert.Equal(404, (await Answer.ReadAsync(unknown)).Status);
    }

    [Fact]
    public async Task An_expired_key_is_refused_and_says_so()
    {
        var (_, text) = await host.CreateKeyAsync(["alpha"], ["reader"], DateTimeOffset.UtcNow.AddSeconds(2));
        Assert.Equal(200, (await host.SendAsync(HttpMethod.Get, "api/v1/entities?project=alpha", text)).Status);
        await Task.Delay(TimeSpan.FromSeconds(2.5), TestContext.Current.CancellationToken);
        var refused = await host.SendAsync(HttpMethod.Get, "api/v1/entities?project=alpha", text);
        Assert.Equal(401, refused.Status);
        Assert.Contains("expired", StandaloneSecurityHost.Reason(refused));
    }

    [Theory]
    [InlineData("""{"name":"x","owner":"o","projects":["alpha"],"roles":["service"]}""", "roles[0]")]
    [InlineData("""{"name":"x","owner":"o","projects":[],"roles":["reader"]}""", "projects")]
    [InlineData("""{"name":"x","owner":"o","projects":["no-dash"],"roles":["reader"]}""", "projects[0]")]
    [InlineData("""{"owner":"o","projects":["alpha"],"roles":["reader"]}""", "name")]
    [InlineData("""{"name":"x","owner":"o"}""", "projects")]
    [InlineData("""{"name":"x","owner":"o","projects":["alpha"],"roles":null}""", "roles")]
    [InlineData("""{"name":"x","owner":"o","projects":["alpha"],"roles":["reader"],"requestsPerSecond":0}""", "requestsPerSecond")]
    [InlineData("""{"name":"x","owner":"o","projects":["alpha"],"roles":["reader"],"expiresAt":"2001-01-01T00:00:00Z"}""", "expiresAt")]
    public async Task A_bad_key_request_is_a_400_naming_the_field_and_makes_no_key(string body, string field)
    {
        var ct = TestContext.Current.CancellationToken;
        var before = (await host.Admin.GetForJsonAsync("api/v1/admin/keys", ct)).GetArrayLength();
        using var content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
        var answer = await Answer.ReadAsync(await host.Admin.PostAsync("api/v1/admin/keys", content, ct));
        Assert.Equal(400, answer.Status);
        Assert.Contains(field, answer.ErrorFields);
        Assert.Equal(before, (await host.Admin.GetForJsonAsync("api/v1/admin/keys", ct)).GetArrayLength());
    }

    [Fact]
    public async Task A_key_over_its_own_rate_limit_is_refused_with_429_and_Retry_After_then_let_in_again()
    {
        var (id, text) = await host.CreateKeyAsync(["alpha"], ["reader"], requestsPerSecond: 3);
        var answers = new List<Answer>();
        for (var i = 0; i < 6; i++) answers.Add(await host.SendAsync(HttpMethod.Get, "api/v1/entities?project=alpha", text));
        Assert.Contains(answers, a => a.Status == 200);
        var refused = Assert.Single(answers.Where(a => a.Status == 429).Take(1));
        Assert.True(int.Parse(refused.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture) >= 1);
        Assert.Contains($"'{id}' is over its rate limit of 3 requests per second", StandaloneSecurityHost.Reason(refused));
        // Another key is not slowed by this one's bucket.
        Assert.Equal(200, (await host.SendAsync(HttpMethod.Get, "api/v1/entities?project=alpha", TestCredentials.AdminKey)).Status);
        await Task.Delay(TimeSpan.FromSeconds(1.2), TestContext.Current.CancellationToken);
        Assert.Equal(200, (await host.SendAsync(HttpMethod.Get, "api/v1/entities?project=alpha", text)).Status);
    }

    [Fact]
    public async Task Only_the_service_credential_may_verify_a_key()
    {
        var (id, text) = await host.CreateKeyAsync(["alpha"], ["reader"]);
        var asAdmin = await host.SendAsync(HttpMethod.Post, "api/v1/admin/keys/verify", TestCredentials.AdminKey, new { key = text });
        Assert.Equal(403, asAdmin.Status);
        var asService = await host.SendAsync(HttpMethod.Post, "api/v1/admin/keys/verify", TestCredentials.ServiceKey, new { key = text });
        Assert.Equal(200, asService.Status);
        Assert.Equal(id, asService.Body.GetProperty("id").GetString());
        Assert.False(asService.Body.TryGetProperty("secretHash", out _));
    }

    [Fact]
    public async Task Health_is_open_to_probes_and_says_how_callers_are_checked()
    {
        var health = await host.SendAsync(HttpMethod.Get, "health", key: null);
        Assert.Equal(200, health.Status);
        Assert.Equal("keys", health.Body.GetProperty("checks").GetProperty("auth").GetProperty("description").GetString());
    }
}
