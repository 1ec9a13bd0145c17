using System.Net.Http.Json;

namespace FeatureStore.IntegrationTests.Security;

/// <summary>
/// Permissions as code and feature-level protection: a view tagged <c>sensitivity: pii</c> under a permission that requires
/// the tag can be read only by holders of the permission's role — directly, through an on-demand view over it, through a
/// feature service, by entity, historically, and in Feast's shape; a feature tagged alone is protected alone; and only an admin
/// may change permissions.
/// </summary>
public sealed class ProtectionTests(StandaloneSecurityHost host) : IClassFixture<StandaloneSecurityHost>
{
    private const string Project = "gamma";

    private static string Repository(string roles) => $$"""
        project: {{Project}}
        entities:
          - name: customer
            joinKeys: [{name: customer_id, type: int64}]
        sources:
          - name: people
            path: sources/{{Project}}/people.parquet
            timestampField: event_timestamp
            schema:
              - {name: customer_id, type: int64}
              - {name: event_timestamp, type: timestamp}
              - {name: age, type: int64}
              - {name: amount, type: float64}
              - {name: income, type: float64}
        featureViews:
          - name: profile
            entities: [customer]
            source: people
            ttl: 30d
            tags: {sensitivity: pii}
            schema: [{name: age, type: int64}]
          - name: activity
            entities: [customer]
            source: people
            ttl: 30d
            schema:
              - {name: amount, type: float64}
              - name: income
                type: float64
                tags: {sensitivity: pii}
        onDemandFeatureViews:
          - name: derived
            sources: [profile]
            schema: [{name: age_next, type: int64, expression: "age + 1"}]
        featureServices:
          - name: everything
            features: [profile, activity]
        permissions:
          - name: pii_readers
            requiredTags: {sensitivity: pii}
            roles: [{{roles}}]
            actions: [read_online, read_offline]
          - name: activity_analysts
            types: [featureView]
            namePatterns: [activ*]
            roles: [activity_analyst]
            actions: [read_online, materialize]
        """;

    private async Task AppliedAsync()
    {
        var applied = await host.Admin.ApplyYamlAsync(Repository("pii_reader"));
        Assert.True(applied.Status == 200, applied.Text);
    }

    [Fact]
    public async Task A_protected_feature_is_refused_by_every_read_path_and_named_while_unprotected_ones_are_served()
    {
        await AppliedAsync();
        var (_, reader) = await host.CreateKeyAsync([Project], ["reader"]);
        Assert.Equal(200, (await OnlineAsync(reader, features: ["activity:amount"])).Status);

        foreach (var (answer, named) in new[]
                 {
                     (await OnlineAsync(reader, features: ["activity:amount", "profile:age"]), "profile:age"),
                     (await OnlineAsync(reader, features: ["derived:age_next"]), "derived:age_next"),
                     (await OnlineAsync(reader, features: ["activity:amount", "activity:income"]), "activity:income"),
                     (await OnlineAsync(reader, service: "everything"), "profile:age"),
                     (await host.SendAsync(HttpMethod.Post, "get-online-features", reader, new
                     {
                         project = Project, features = new[] { "profile:age" }, entities = new { customer_id = new[] { 1 } },
                     }), "profile:age"),
                     (await host.SendAsync(HttpMethod.Get, $"api/v1/entities/customer/1?project={Project}", reader), "profile:age"),
                     (await host.SendAsync(HttpMethod.Post, "api/v1/historical-features", reader, new
                     {
                         project = Project, features = new[] { "profile:age" },
                         entities = new[]
                         {
                             new Dictionary<string, object> { ["customer_id"] = 1, ["event_timestamp"] = "2024-01-01T00:00:00Z" },
                         },
                     }), "profile:age"),
                 })
        {
            Assert.True(answer.Status == 403, answer.Text);
            Assert.Equal(["features"], answer.ErrorFields);
            Assert.Contains(named, StandaloneSecurityHost.Reason(answer));
            Assert.DoesNotContain("\"values\"", answer.Text);
        }
    }

    [Fact]
    public async Task A_holder_of_the_permissions_role_reads_the_protected_feature_and_what_derives_from_it()
    {
        await AppliedAsync();
        var (_, cleared) = await host.CreateKeyAsync([Project], ["reader", "pii_reader"]);
        Assert.Equal(200, (await OnlineAsync(cleared, features: ["profile:age", "derived:age_next", "activity:income"])).Status);
        Assert.Equal(200, (await OnlineAsync(cleared, service: "everything")).Status);
        Assert.Equal(200, (await OnlineAsync(TestCredentials.AdminKey, features: ["profile:age"])).Status);
    }

    [Fact]
    public async Task Only_an_admin_changes_a_permission_though_a_writer_may_plan_it()
    {
        await AppliedAsync();
        var (_, writer) = await host.CreateKeyAsync(["*"], ["writer"]);
        using var http = host.Host.CreateClient(writer);
        var planned = await http.ApplyYamlAsync(Repository("everyone"), "?dryRun=true");
        Assert.True(planned.Status == 200, planned.Text);
        var refused = await http.ApplyYamlAsync(Repository("everyone"));
        Assert.Equal(403, refused.Status);
        Assert.Contains("admin", StandaloneSecurityHost.Reason(refused));
        var permission = await host.Admin.GetForJsonAsync($"api/v1/permissions/pii_readers?project={Project}",
            TestContext.Current.CancellationToken);
        Assert.Equal(["pii_reader"], permission.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
        // A change elsewhere in the document, permissions as they are: a writer's to make.
        var unchanged = await http.ApplyYamlAsync(Repository("pii_reader").Replace("ttl: 30d", "ttl: 20d"));
        Assert.True(unchanged.Status == 200, unchanged.Text);
    }

    [Fact]
    public async Task A_permission_grants_its_actions_to_a_role_of_ones_own_on_what_it_covers_and_nothing_else()
    {
        await AppliedAsync();
        var (_, analyst) = await host.CreateKeyAsync([Project], ["activity_analyst"]);
        Assert.Equal(200, (await OnlineAsync(analyst, features: ["activity:amount"])).Status);
        var uncovered = await OnlineAsync(analyst, features: ["activity:amount", "profile:age"]);
        Assert.True(uncovered.Status == 403, uncovered.Text);
        Assert.Contains("profile:age", StandaloneSecurityHost.Reason(uncovered));
        Assert.DoesNotContain("activity:amount", StandaloneSecurityHost.Reason(uncovered));

        var window = new { start = "2024-01-01T00:00:00Z", end = "2024-01-02T00:00:00Z" };
        var started = await host.SendAsync(HttpMethod.Post, $"api/v1/feature-views/activity/materialize?project={Project}", analyst,
            window);
        Assert.True(started.Status == 202, started.Text);
        Assert.Equal(403, (await host.SendAsync(HttpMethod.Post, $"api/v1/feature-views/profile/materialize?project={Project}",
            analyst, window)).Status);
        // Not granted: reading offline, and operations on no one object (a list) without a permission over the whole project.
        Assert.Equal(403, (await host.SendAsync(HttpMethod.Post, "api/v1/historical-features", analyst, new
        {
            project = Project, features = new[] { "activity:amount" },
            entities = new[] { new Dictionary<string, object> { ["customer_id"] = 1, ["event_timestamp"] = "2024-01-01T00:00:00Z" } },
        })).Status);
        Assert.Equal(403, (await host.SendAsync(HttpMethod.Get, $"api/v1/feature-views?project={Project}", analyst)).Status);
        Assert.Equal(403, (await OnlineAsync((await host.CreateKeyAsync(["beta"], ["activity_analyst"])).Text,
            features: ["activity:amount"])).Status);
    }

    private Task<Answer> OnlineAsync(string key, string[]? features = null, string? service = null) =>
        host.SendAsync(HttpMethod.Post, "api/v1/online-features", key, new Dictionary<string, object?>
        {
            ["project"] = Project, ["features"] = features, ["featureService"] = service,
            ["entities"] = new Dictionary<string, int[]> { ["customer_id"] = [1] },
        }.Where(p => p.Value is not null).ToDictionary());
}
