using FeatureStore.Contracts;

namespace FeatureStore.Testing;

/// <summary>
/// The credentials every service a test starts is given (unless the test gives its own): the bootstrap admin key, which test
/// clients send, and the service credential the services call each other with. Made per test run, never written anywhere
/// but the processes' environment.
/// </summary>
public static class TestCredentials
{
    public const string Header = FeatureStoreHeaders.ApiKey;
    public const string AdminKeyVariable = "FeatureStore__Auth__AdminKey";
    public const string ServiceKeyVariable = "FeatureStore__Auth__ServiceKey";

    public static string AdminKey { get; } = "test-admin-" + RandomHex();

    public static string ServiceKey { get; } = "test-service-" + RandomHex();

    private static string RandomHex() => Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(24));

    /// <summary>A client of <paramref name="baseAddress"/> that sends <paramref name="key"/> (the admin key when absent).</summary>
    public static HttpClient Client(Uri baseAddress, string? key = null, TimeSpan? timeout = null, HttpMessageHandler? handler = null)
    {
        var http = handler is null ? new HttpClient() : new HttpClient(handler);
        http.BaseAddress = baseAddress;
        http.Timeout = timeout ?? TimeSpan.FromSeconds(60);
        http.DefaultRequestHeaders.Add(Header, key ?? AdminKey);
        return http;
    }
}
