using System.Net;
using System.Text.RegularExpressions;

namespace FeatureStore.IntegrationTests.Security;

/// <summary>Secure by default: the standalone host makes its first admin key itself, prints it once, keeps only its hash; and
/// <c>Auth:Mode=open</c> is loud about what it is.</summary>
public sealed partial class FirstStartTests
{
    [Fact]
    public async Task The_standalone_host_prints_a_working_admin_key_on_its_first_start_only()
    {
        var data = Path.Combine(Path.GetTempPath(), $"fs-firstkey-{Guid.NewGuid():N}");
        var environment = new Dictionary<string, string>
        {
            ["FeatureStore__DataDirectory"] = data, ["FeatureStore__Sample__Enabled"] = "false",
            [TestCredentials.AdminKeyVariable] = "", // no configured admin key: the host makes one
        };
        string key;
        await using (var first = ServiceProcess.Start("standalone-firstkey", "services/standalone", "FeatureStore.Standalone",
                         environment))
        {
            await first.WaitUntilReadyAsync(TimeSpan.FromSeconds(90));
            var printed = PrintedKey().Matches(File.ReadAllText(first.LogPath));
            Assert.Single(printed);
            key = printed[0].Groups["key"].Value;
            using var http = first.CreateClient(key);
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("api/v1/admin/keys", TestContext.Current.CancellationToken)).StatusCode);
            using var configured = first.CreateClient();
            Assert.Equal(HttpStatusCode.Unauthorized,
                (await configured.GetAsync("api/v1/projects", TestContext.Current.CancellationToken)).StatusCode);
        }
        var stored = string.Join('\n', Directory.EnumerateFiles(data, "*", SearchOption.AllDirectories)
            .Select(f => { try { return File.ReadAllText(f); } catch (IOException) { return ""; } }));
        Assert.DoesNotContain(key, stored);

        await using var second = ServiceProcess.Start("standalone-firstkey-2", "services/standalone", "FeatureStore.Standalone",
            environment);
        await second.WaitUntilReadyAsync(TimeSpan.FromSeconds(90));
        Assert.Empty(PrintedKey().Matches(File.ReadAllText(second.LogPath)));
        using var again = second.CreateClient(key);
        Assert.Equal(HttpStatusCode.OK, (await again.GetAsync("api/v1/projects", TestContext.Current.CancellationToken)).StatusCode);
        try { Directory.Delete(data, recursive: true); } catch (IOException) { }
    }

    [Fact]
    public async Task Open_mode_lets_anyone_in_but_warns_at_start_and_in_health_and_still_refuses_a_wrong_key()
    {
        await using var host = ServiceProcess.Start("standalone-open", "services/standalone", "FeatureStore.Standalone",
            new Dictionary<string, string>
            {
                ["FeatureStore__DataDirectory"] = Path.Combine(Path.GetTempPath(), $"fs-open-{Guid.NewGuid():N}"),
                ["FeatureStore__Sample__Enabled"] = "false", ["FeatureStore__Auth__Mode"] = "open",
            });
        await host.WaitUntilReadyAsync(TimeSpan.FromSeconds(90));
        using var anonymous = host.CreateAnonymousClient();
        var keys = await anonymous.GetAsync("api/v1/admin/keys", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, keys.StatusCode);
        var health = await anonymous.GetForJsonAsync("health", TestContext.Current.CancellationToken);
        Assert.Equal("Degraded", health.GetProperty("checks").GetProperty("auth").GetProperty("status").GetString());
        Assert.Contains("Auth:Mode is open", File.ReadAllText(host.LogPath));
        using var wrong = host.CreateClient("fsk_0123456789abcdef_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
        Assert.Equal(HttpStatusCode.Unauthorized,
            (await wrong.GetAsync("api/v1/projects", TestContext.Current.CancellationToken)).StatusCode);
    }

    [GeneratedRegex(@"export FEATURESTORE_KEY=(?<key>fsk_[0-9a-f]{16}_[A-Za-z0-9_-]{43})")]
    private static partial Regex PrintedKey();
}
