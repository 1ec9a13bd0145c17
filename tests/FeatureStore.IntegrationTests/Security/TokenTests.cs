using System.Security.Cryptography;
using Microsoft.IdentityModel.Tokens;

namespace FeatureStore.IntegrationTests.Security;

/// <summary>OIDC bearer tokens, the second way in: checked against the issuer's discovery document and keys, roles and projects
/// from the token's claims, the same access rules as keys.</summary>
public sealed class TokenTests : IAsyncLifetime
{
    private readonly LoopbackIssuer _issuer = new();
    private ServiceProcess _host = null!;

    public async ValueTask InitializeAsync()
    {
        _host = ServiceProcess.Start("standalone-oidc", "services/standalone", "FeatureStore.Standalone", new Dictionary<string, string>
        {
            ["FeatureStore__DataDirectory"] = Path.Combine(Path.GetTempPath(), $"fs-oidc-{Guid.NewGuid():N}"),
            ["FeatureStore__Sample__Enabled"] = "false",
            ["FeatureStore__Auth__Oidc__Authority"] = _issuer.Authority,
            ["FeatureStore__Auth__Oidc__Audience"] = "featurestore",
            ["FeatureStore__Auth__Oidc__RequireHttpsMetadata"] = "false",
        });
        await _host.WaitUntilReadyAsync(TimeSpan.FromSeconds(90));
        using var admin = _host.CreateClient();
        var applied = await admin.ApplyYamlAsync("""
            project: alpha
            entities:
              - name: customer
                joinKeys: [{name: customer_id, type: int64}]
            """);
        Assert.True(applied.Status == 200, applied.Text);
    }

    [Fact]
    public async Task A_token_from_the_issuer_acts_with_its_roles_in_its_projects()
    {
        var token = _issuer.Token("alice", ["reader"], ["alpha"]);
        Assert.Equal(200, (await GetAsync("api/v1/entities?project=alpha", token)).Status);
        var elsewhere = await GetAsync("api/v1/entities?project=beta", token);
        Assert.Equal(403, elsewhere.Status);
        Assert.Equal(["project"], elsewhere.ErrorFields);
        var admin = await GetAsync("api/v1/admin/keys", token);
        Assert.Equal(403, admin.Status);
        Assert.Contains("token:alice", StandaloneSecurityHost.Reason(admin) + StandaloneSecurityHost.Reason(elsewhere));
    }

    [Fact]
    public async Task A_token_signed_by_another_key_expired_or_for_another_audience_is_a_401()
    {
        var stranger = new RsaSecurityKey(RSA.Create(2048)) { KeyId = "test-key" };
        foreach (var token in new[]
                 {
                     _issuer.Token("mallory", ["admin"], ["*"], signingKey: stranger),
                     _issuer.Token("alice", ["reader"], ["alpha"], expires: DateTime.UtcNow.AddMinutes(-6)),
                     _issuer.Token("alice", ["reader"], ["alpha"], audience: "someone-else"),
                 })
        {
            var refused = await GetAsync("api/v1/entities?project=alpha", token);
            Assert.Equal(401, refused.Status);
            Assert.Equal(["authorization"], refused.ErrorFields); // header names are case-insensitive; problems write paths in camel case
        }
    }

    private async Task<Answer> GetAsync(string path, string token)
    {
        using var http = _host.CreateAnonymousClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.TryAddWithoutValidation("Authorization", $"Bearer {token}");
        return await Answer.ReadAsync(await http.SendAsync(request));
    }

    public async ValueTask DisposeAsync()
    {
        await _host.DisposeAsync();
        await _issuer.DisposeAsync();
    }
}
