using System.Net;
using FeatureStore.Domain;
using FeatureStore.IntegrationTests.Registry;
using FeatureStore.Registry.Storage;
using FeatureStore.Storage.Sql;
using Npgsql;

namespace FeatureStore.IntegrationTests.Services;

/// <summary>
/// The registry refuses an on-demand expression that reads a file; feature-api does not rely on that alone. A definition
/// that got past the registry's check (written straight into its database here) still runs in feature-api's DuckDB
/// sandbox, online and in historical retrieval, and its file access is refused there.
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
            $$"""{"project":"{{project}}","entities":{"days":[2]},"features":["peek:total"]}"""), HttpStatusCode.BadRequest, "features");
        Assert.Contains("Permission", online.ToString());
        var historical = await AssertProblemAsync(await PostAsync(featureApi, "api/v1/historical-features",
            $$"""{"project":"{{project}}","features":["peek:total"],"allowGaps":true""" +
            ""","entities":[{"customer_id":1,"event_timestamp":"2024-01-01T00:00:00Z","days":2}]}"""),
            HttpStatusCode.UnprocessableEntity, "features");
        Assert.Contains("Permission", historical.ToString());
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
