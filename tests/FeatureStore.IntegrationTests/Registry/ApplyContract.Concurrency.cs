using FeatureStore.Contracts;
using FeatureStore.IntegrationTests.Messaging;

namespace FeatureStore.IntegrationTests.Registry;

public abstract partial class ApplyContract
{
    private SalesRepository Twin(string ttl) => new(Project)
    {
        Ttl = ttl,
        ExtraViews = $$"""
              - name: order_stats_twin
                entities: [customer]
                source: orders
                ttl: {{ttl}}
                schema: [{name: amount, type: float64}]
            """,
    };

    [Fact]
    public async Task Concurrent_applies_never_leave_a_mixed_state()
    {
        using var registry = await RegistryAsync();
        await registry.ApplyYamlAsync(Twin("1d").ToString());
        // Two files set both views' TTL together, to different values; racing each other they must never mix.
        var answers = await Task.WhenAll(
            Enumerable.Range(0, 12).Select(i => registry.ApplyYamlAsync(Twin(i % 2 == 0 ? "2d" : "3d").ToString())));
        Assert.All(answers, a => Assert.True(a.Status is 200 or 409, a.Text));

        var one = await registry.GetAnswerAsync($"api/v1/feature-views/order_stats?project={Project}");
        var two = await registry.GetAnswerAsync($"api/v1/feature-views/order_stats_twin?project={Project}");
        Assert.Equal(one.Body.GetProperty("ttl").GetString(), two.Body.GetProperty("ttl").GetString());
        var versions = (await registry.GetAnswerAsync($"api/v1/feature-views/order_stats/versions?project={Project}")).Body.EnumerateArray()
            .Select(v => v.GetProperty("version").GetInt32()).ToList();
        Assert.Equal(Enumerable.Range(1, versions.Count), versions);
        var applied = answers.Count(a => a.Status == 200 && a.Body.GetProperty("applied").GetBoolean());
        Assert.Equal(1 + applied, (await registry.GetAnswerAsync($"api/v1/projects/{Project}")).Body.GetProperty("revision").GetInt64());
    }

    [Fact]
    public async Task Events_announce_committed_changes_and_nothing_else()
    {
        var registryHost = await host.StartAsync();
        using var registry = registryHost.CreateClient();
        await using var bus = await TestBus.StartAsync(registryHost.Backends.MessagingConnectionString,
            typeof(FeatureViewApplied), typeof(FeatureViewDeleted), typeof(RegistryChanged));

        await registry.ApplyYamlAsync(Twin("1d").ToString());
        await bus.WaitForAsync<FeatureViewApplied>(e => e.Project == Project && e.View == "order_stats_twin" && e.Version == 1);
        var first = await bus.WaitForAsync<RegistryChanged>(e => e.Project == Project && e.Revision == 1);
        Assert.Equal(6, first.Changes.Count);

        Assert.Equal(409, (await registry.ApplyYamlAsync(Twin("1d").ToString().Replace("{name: amount, type: float64}",
            "{name: amount, type: float32}"))).Status);
        await registry.ApplyYamlAsync(new SalesRepository(Project) { Ttl = "1d" }.ToString(), "?prune=true");
        await bus.WaitForAsync<FeatureViewDeleted>(e => e.Project == Project && e.View == "order_stats_twin" && e.Version == 2);
        var second = await bus.WaitForAsync<RegistryChanged>(e => e.Project == Project && e.Revision == 2);
        Assert.Equal([("featureView", "order_stats_twin", "delete")], second.Changes.Select(c => (c.Kind, c.Name, c.Action)));
        Assert.DoesNotContain(bus.Seen<RegistryChanged>(), e => e.Project == Project && e.Revision > 2);
    }

    [Fact]
    public async Task A_source_without_a_declared_schema_is_checked_against_its_parquet()
    {
        var registryHost = await host.StartAsync();
        using var registry = registryHost.CreateClient();
        await registryHost.Objects.PutAsync($"sources/{Project}/stats.parquet",
            new MemoryStream(await SourceData.ToParquetAsync(new CustomerStatsRow[]
        {
            new() { customer_id = 1, event_timestamp = DateTime.UtcNow, purchases = 3, segment = "gold" },
        })), TestContext.Current.CancellationToken);
        string Repository(string sql, string feature, string path = "stats") => $$"""
            project: {{Project}}
            entities: [{name: customer, joinKeys: [{name: customer_id, type: int64}]}]
            sources: [{name: stats, path: sources/{{Project}}/{{path}}.parquet, timestampField: event_timestamp}]
            featureViews:
              - name: derived
                entities: [customer]
                source: stats
                {{(sql.Length > 0 ? $"transformation: {{sql: \"{sql}\"}}" : "")}}
                schema: [{{feature}}]
            """;

        Assert.Equal(200, (await registry.ApplyYamlAsync(Repository(
            "SELECT customer_id, event_timestamp, purchases * 2 AS doubled FROM source",
            "{name: doubled, type: int64}"), "?dryRun=true")).Status);
        var missingColumn = await registry.ApplyYamlAsync(
            Repository("SELECT customer_id, event_timestamp, loyalty FROM source", "{name: loyalty, type: int64}"));
        Assert.Equal(["featureViews[0].transformation.sql"], missingColumn.ErrorFields);
        Assert.Contains("customer_id, event_timestamp, created, purchases, avg_basket, segment", missingColumn.Text);
        var wrongType = await registry.ApplyYamlAsync(Repository("", "{name: segment, type: int64}"));
        Assert.Equal(["featureViews[0].schema[0].type"], wrongType.ErrorFields);
        var noData = await registry.ApplyYamlAsync(Repository("SELECT * FROM source", "{name: purchases, type: int64}", path: "not_yet"));
        Assert.Equal(["featureViews[0].transformation.sql"], noData.ErrorFields);
        Assert.Contains("declare the source's schema or upload the data first", noData.Text);
    }
}
