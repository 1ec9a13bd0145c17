using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace FeatureStore.IntegrationTests.Security;

/// <summary>
/// An OpenID Connect issuer of the test's own on loopback: the discovery document and the signing key (JWKS) a service
/// fetches, and tokens signed with a key this test made. No outside identity provider is involved.
/// </summary>
public sealed class LoopbackIssuer : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly RsaSecurityKey _key = new(RSA.Create(2048)) { KeyId = "test-key" };
    private readonly Task _serving;

    public string Authority { get; }

    public LoopbackIssuer()
    {
        Authority = $"http://127.0.0.1:{LoopbackPorts.Free()}/";
        _listener.Prefixes.Add(Authority);
        _listener.Start();
        _serving = Task.Run(ServeAsync);
    }

    /// <summary>A token for <paramref name="subject"/> with these roles and projects, signed by this issuer (or by
    /// <paramref name="signingKey"/>).</summary>
    public string Token(string subject, string[] roles, string[] projects, string audience = "featurestore",
        DateTime? expires = null, SecurityKey? signingKey = null) =>
        new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Authority.TrimEnd('/'),
            Audience = audience,
            IssuedAt = DateTime.UtcNow.AddMinutes(-10),
            NotBefore = DateTime.UtcNow.AddMinutes(-10),
            Expires = expires ?? DateTime.UtcNow.AddMinutes(10),
            Claims = new Dictionary<string, object> { ["sub"] = subject, ["roles"] = roles, ["projects"] = projects },
            SigningCredentials = new SigningCredentials(signingKey ?? _key, SecurityAlgorithms.RsaSha256),
        });

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try { context = await _listener.GetContextAsync(); }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException) { return; }
            var path = context.Request.Url!.AbsolutePath;
            object? document = path switch
            {
                "/.well-known/openid-configuration" => new Dictionary<string, object>
                {
                    ["issuer"] = Authority.TrimEnd('/'), ["jwks_uri"] = Authority + "jwks",
                    ["id_token_signing_alg_values_supported"] = new[] { "RS256" },
                },
                "/jwks" => new { keys = new[] { Jwk() } },
                _ => null,
            };
            context.Response.StatusCode = document is null ? 404 : 200;
            context.Response.ContentType = "application/json";
            var body = Encoding.UTF8.GetBytes(document is null ? "{}" : JsonSerializer.Serialize(document));
            await context.Response.OutputStream.WriteAsync(body);
            context.Response.Close();
        }
    }

    private Dictionary<string, string> Jwk()
    {
        var parameters = _key.Rsa.ExportParameters(includePrivateParameters: false);
        return new()
        {
            ["kty"] = "RSA", ["use"] = "sig", ["alg"] = "RS256", ["kid"] = _key.KeyId!,
            ["n"] = Base64UrlEncoder.Encode(parameters.Modulus), ["e"] = Base64UrlEncoder.Encode(parameters.Exponent),
        };
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        _listener.Close();
        await _serving.ContinueWith(_ => { });
    }
}
