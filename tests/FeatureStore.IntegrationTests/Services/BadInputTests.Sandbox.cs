using System.Diagnostics;
using System.Net;
using FeatureStore.Domain;
using FeatureStore.IntegrationTests.Registry;
using FeatureStore.Registry.Storage;
using FeatureStore.Storage.Sql;
using Npgsql;

namespace FeatureStore.IntegrationTests.Services;

/// <summary>
/// User SQL stays in its box. The registry refuses, at apply, a function outside the allow-list (naming it and the field);
/// feature-api does not rely on that alone: a definition that got past the registry's check (written straight into its
/// database here) is refused before it runs, online and in historical retrieval. An expression whose cost no check can see
/// is stopped at the online time limit and refused, and the service goes on answering.
/// </summary>
public sealed partial class BadInputTests
{
    [Fact]
    public async Task An_on_demand_expression_that_escaped_the_registry_reads_no_file_in_feature_api()
    {
        await cluster.StartAsync();
        var ct = TestContext.Current.CancellationToken;
        var project = $"{cluster.Backends.Project}_sandbox";
        using var elsewhere = new ScratchFile("n\n1\n");
        using var registry = cluster.Registry.CreateClient();
        var applied = await registry.ApplyYamlAsync($$"""
            project: {{project}}
            entities: [{name: customer, joinKeys: [{name: customer_id, type: int64}]}]
            sources: [{name: stats, path: sources/{{project}}/stats.parquet, timestampField: event_timestamp}]
            featureViews: [{name: stats, entities: [customer], source: stats, ttl: 0, schema: [{name: purchases, type: int64}]}]
            onDemandFeatureViews:
              - {name: peek, sources: [stats], requestFields: [{name: days, type: int64}],
                 schema: [{name: total, type: int64, expression: "days * 2"}]}
            """);
        Assert.True(applied.Status == 200, applied.Text);
        await WriteExpressionAsync(project, "peek", $"days * 2 + (SELECT count(*) FROM read_csv('{elsewhere.Path}'))", ct);

        using var featureApi = cluster.FeatureApi.CreateClient();
        var online = await AssertProblemAsync(await PostAsync(featureApi, "api/v1/online-features",
            $$"""{"project":"{{project}}","entities":{"days":[2]},"features":["peek:total"]}"""),
            HttpStatusCode.UnprocessableEntity, "features");
        Assert.Contains("peek:total: table function read_csv is not allowed", online.ToString());
        var historical = await AssertProblemAsync(await PostAsync(featureApi, "api/v1/historical-features",
            $$"""{"project":"{{project}}","features":["peek:total"],"allowGaps":true""" +
            ""","entities":[{"customer_id":1,"event_timestamp":"2024-01-01T00:00:00Z","days":2}]}"""),
            HttpStatusCode.UnprocessableEntity, "features");
        Assert.Contains("peek:total: table function read_csv is not allowed", historical.ToString());
    }

    [Theory]
    [InlineData("SELECT *, current_setting('temp_directory') AS leak FROM source", "function current_setting is not allowed")]
    [InlineData("SELECT * FROM source, duckdb_settings()", "table function duckdb_settings is not allowed")]
    [InlineData("SELECT * FROM source, range(1000000000) r(i)", "range(...) would make 1,000,000,000 values")]
    public async Task Apply_refuses_a_transformation_calling_what_user_sql_may_not(string sql, string reason)
    {
        await cluster.StartAsync();
        var project = $"{cluster.Backends.Project}_box";
        using var registry = cluster.Registry.CreateClient();
        var applied = await registry.ApplyYamlAsync($$"""
            project: {{project}}
            entities: [{name: customer, joinKeys: [{name: customer_id, type: int64}]}]
            sources: [{name: stats, path: sources/{{project}}/stats.parquet, timestampField: event_timestamp}]
            featureViews: [{name: stats, entities: [customer], source: stats, ttl: 0, schema: [{name: purchases, type: int64}],
                            transformation: {sql: "{{sql}}"} }]
            """);
        Assert.True(applied.Status == 400, applied.Text);
        Assert.Contains($"\"featureViews[0].transformation.sql\"", applied.Text);
        Assert.Contains(reason, applied.Text);
    }

    [Fact]
    public async Task An_on_demand_expression_burning_cpu_is_stopped_at_its_limit_and_the_service_answers_on()
    {
        await cluster.StartAsync();
        var ct = TestContext.Current.CancellationToken;
        var project = $"{cluster.Backends.Project}_burn";
        using var registry = cluster.Registry.CreateClient();
        // The range's size depends on the request, so the apply-time check cannot see the cost: only the time limit can.
        var applied = await registry.ApplyYamlAsync($$"""
            project: {{project}}
            entities: [{name: customer, joinKeys: [{name: customer_id, type: int64}]}]
            sources: [{name: stats, path: sources/{{project}}/stats.parquet, timestampField: event_timestamp}]
            featureViews: [{name: stats, entities: [customer], source: stats, ttl: 0, schema: [{name: purchases, type: int64}]}]
            onDemandFeatureViews:
              - {name: burn, sources: [stats], requestFields: [{name: n, type: int64}],
                 schema: [{name: h, type: int64, expression: "(SELECT count(DISTINCT hash(x)) FROM range(n) t(x))"}]}
            """);
        Assert.True(applied.Status == 200, applied.Text);

        using var featureApi = cluster.FeatureApi.CreateClient();
        // A small range computes (and warms the definition cache, so the clock below times the expression).
        await AssertComputesAsync(featureApi, project, ct);
        var clock = Stopwatch.StartNew();
        var burnt = await AssertProblemAsync(await PostAsync(featureApi, "api/v1/online-features",
            $$"""{"project":"{{project}}","entities":{"n":[100000000000]},"features":["burn:h"]}"""),
            HttpStatusCode.UnprocessableEntity, "features");
        clock.Stop();
        TestContext.Current.TestOutputHelper?.WriteLine($"refused after {clock.ElapsedMilliseconds} ms: {burnt}");
        Assert.Contains("was stopped", burnt.ToString());
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed}");
        // The pooled connection that was interrupted serves the next request.
        await AssertComputesAsync(featureApi, project, ct);
    }

    private static async Task AssertComputesAsync(HttpClient featureApi, string project, CancellationToken ct)
    {
        using var answer = await PostAsync(featureApi, "api/v1/online-features",
            $$"""{"project":"{{project}}","entities":{"n":[10]},"features":["burn:h"]}""");
        var text = await answer.Content.ReadAsStringAsync(ct);
        Assert.True(answer.StatusCode == HttpStatusCode.OK, text);
        Assert.Contains("10", text);
    }

    /// <summary>A new version of an on-demand view whose features all compute <paramref name="expression"/>, stored without the registry's
    /// checks.</summary>
    private async Task WriteExpressionAsync(string project, string view, string expression, CancellationToken ct)
    {
        await using var source = NpgsqlDataSource.Create(cluster.Backends.RegistryConnectionString);
        var store = new SqlRegistryStore(source, SqlDialect.PostgreSql);
        await store.CommitAsync(project, state =>
        {
            var current = state.Find(ObjectKind.OnDemandFeatureView, view)!.Read<OnDemandFeatureViewDefinition>();
            var version = state.NextVersion(ObjectKind.OnDemandFeatureView, view);
            var tampered = current with { Features = current.Features.Select(f => f with { Expression = expression }).ToList() };
            var write = new ObjectWrite(ObjectKind.OnDemandFeatureView, view, version,
                DefinitionJson.Serialize(tampered.Stamped(version, DateTimeOffset.UtcNow)), DateTimeOffset.UtcNow);
            return ((Changeset?)new Changeset([write], []), 0);
        }, ct);
    }
}
