using System.Net.Http.Json;

namespace FeatureStore.IntegrationTests.Security;

/// <summary>What a caller may do once known: built-in roles by action, keys by project, administration by admins alone.</summary>
public sealed class AccessTests(StandaloneSecurityHost host) : IClassFixture<StandaloneSecurityHost>
{
    private const string AlphaEntity = """
        project: alpha
        entities:
          - name: customer
            joinKeys: [{name: customer_id, type: int64}]
          - name: store
            joinKeys: [{name: store_id, type: int64}]
        """;

    [Fact]
    public async Task A_reader_describes_and_plans_in_its_project_but_may_not_apply_or_materialize()
    {
        var (_, reader) = await host.CreateKeyAsync(["alpha"], ["reader"]);
        Assert.Equal(200, (await host.SendAsync(HttpMethod.Get, "api/v1/entities?project=alpha", reader)).Status);

        var plan = await ApplyAsync(reader, "?dryRun=true");
        Assert.True(plan.Status == 200, plan.Text);
        var applied = await ApplyAsync(reader, "");
        Assert.Equal(403, applied.Status);
        Assert.Contains("may not create", StandaloneSecurityHost.Reason(applied));
        Assert.Equal(404, (await host.Admin.GetAnswerAsync("api/v1/entities/store?project=alpha")).Status);

        var materialize = await host.SendAsync(HttpMethod.Post, "api/v1/feature-views/any_view/materialize?project=alpha", reader,
            new { start = "2024-01-01T00:00:00Z", end = "2024-01-02T00:00:00Z" });
        Assert.Equal(403, materialize.Status);
    }

    [Fact]
    public async Task A_key_acts_only_in_its_projects_and_is_told_which_field_refused_it()
    {
        var (_, writer) = await host.CreateKeyAsync(["alpha"], ["writer"]);
        var elsewhere = await host.SendAsync(HttpMethod.Get, "api/v1/entities?project=beta", writer);
        Assert.Equal(403, elsewhere.Status);
        Assert.Equal(["project"], elsewhere.ErrorFields);
        // The default project when a request names none: not alpha either.
        Assert.Equal(403, (await host.SendAsync(HttpMethod.Get, "api/v1/entities", writer)).Status);
        var projects = await host.SendAsync(HttpMethod.Get, "api/v1/projects", writer);
        Assert.Equal(["alpha"], projects.Body.EnumerateArray().Select(p => p.GetProperty("name").GetString()));

        var online = await host.SendAsync(HttpMethod.Post, "api/v1/online-features", writer,
            new { project = "beta", features = new[] { "v:f" }, entities = new { customer_id = new[] { 1 } } });
        Assert.Equal(403, online.Status);
        var feast = await host.SendAsync(HttpMethod.Post, "get-online-features", writer,
            new { project = "beta", features = new[] { "v:f" }, entities = new { customer_id = new[] { 1 } } });
        Assert.Equal(403, feast.Status);
    }

    [Fact]
    public async Task Only_an_admin_over_every_project_administers_keys()
    {
        var (_, writer) = await host.CreateKeyAsync(["*"], ["writer"]);
        var (_, projectAdmin) = await host.CreateKeyAsync(["alpha"], ["admin"]);
        var (_, admin) = await host.CreateKeyAsync(["*"], ["admin"]);
        foreach (var key in new[] { writer, projectAdmin })
        {
            var refused = await host.SendAsync(HttpMethod.Get, "api/v1/admin/keys", key);
            Assert.Equal(403, refused.Status);
            Assert.Contains("admin", StandaloneSecurityHost.Reason(refused));
        }
        Assert.Equal(200, (await host.SendAsync(HttpMethod.Get, "api/v1/admin/keys", admin)).Status);
        var made = await host.SendAsync(HttpMethod.Post, "api/v1/admin/keys", admin,
            new { name = "by another admin", owner = "tests", projects = new[] { "beta" }, roles = new[] { "reader" } });
        Assert.Equal(201, made.Status);
    }

    [Fact]
    public async Task Internal_operations_refuse_every_principal_but_the_services()
    {
        var (_, admin) = await host.CreateKeyAsync(["*"], ["admin"]);
        foreach (var key in new[] { admin, TestCredentials.AdminKey })
        {
            Assert.Equal(403, (await host.SendAsync(HttpMethod.Get, "api/v1/data-sources/any/pushed-files?project=alpha", key)).Status);
            Assert.Equal(403, (await host.SendAsync(HttpMethod.Get, "api/v1/materializations/online-projects", key)).Status);
        }
        Assert.Equal(200,
            (await host.SendAsync(HttpMethod.Get, "api/v1/materializations/online-projects", TestCredentials.ServiceKey)).Status);
    }

    private async Task<Answer> ApplyAsync(string key, string query)
    {
        using var http = host.Host.CreateClient(key);
        return await http.ApplyYamlAsync(AlphaEntity, query);
    }
}
