using System.Net.Http.Json;
using System.Text;
using FeatureStore.IntegrationTests.Registry;
using FeatureStore.IntegrationTests.Services;

namespace FeatureStore.IntegrationTests.Serving;

/// <summary>
/// One project on the four real services with data whose answers are known: views <c>stats</c> (TTL 10d, with
/// a created time), <c>flags</c> (TTL 1h) and <c>orders</c> (TTL 0, also has a <c>purchases</c> feature), the
/// on-demand view <c>rates</c> (<c>purchases / days_since_signup</c>) and the feature service <c>churn</c>;
/// the push source <c>clicks</c> read by view <c>clicks</c> (never materialized: pushes fill it; <c>clicks</c> within
/// [0, 1000], <c>channel</c> web or app, web by default); every other
/// view materialized over the last 30 days. Times are relative to <see cref="Now"/>.
/// </summary>
public sealed class ServingScenario : IAsyncLifetime
{
    public ServiceCluster Cluster { get; } = new();
    public DateTime Now { get; } = DateTime.UtcNow;
    public string Project => $"{Cluster.Backends.Project}_serving";
    public HttpClient Registry { get; private set; } = null!;
    public HttpClient FeatureApi { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        await Cluster.StartAsync();
        Registry = Cluster.Registry.CreateClient();
        FeatureApi = Cluster.FeatureApi.CreateClient();
        var prefix = $"sources/{Project}";
        await PutAsync($"{prefix}/stats.parquet", new CustomerStatsRow[]
        {
            new() { customer_id = 1, event_timestamp = Now.AddDays(-2), purchases = 5, avg_basket = 10, segment = "new" },
            new() { customer_id = 1, event_timestamp = Now.AddDays(-1), purchases = 8, avg_basket = 11, segment = "regular" },
            new() { customer_id = 2, event_timestamp = Now.AddDays(-1), purchases = null, avg_basket = 12.5, segment = "gold" },
            // 15 days old with a 10-day TTL: stale online (kept for twice the TTL), and outside the TTL for later times.
            new() { customer_id = 3, event_timestamp = Now.AddDays(-15), purchases = 30, avg_basket = 1, segment = "gone" },
            new() { customer_id = 4, event_timestamp = Now.AddDays(-1), created = Now.AddDays(-1).AddMinutes(2), purchases = 41,
                avg_basket = 4, segment = "b" },
            new() { customer_id = 4, event_timestamp = Now.AddDays(-1), created = Now.AddDays(-1).AddMinutes(1), purchases = 40,
                avg_basket = 4, segment = "a" },
        });
        await PutAsync($"{prefix}/flags.parquet", new CustomerFlagsRow[]
        {
            new() { customer_id = 1, event_timestamp = Now.AddMinutes(-90), is_active = false },
            new() { customer_id = 2, event_timestamp = Now.AddMinutes(-10), is_active = true },
        });
        await PutAsync($"{prefix}/orders.parquet", new CustomerStatsRow[]
        {
            new() { customer_id = 1, event_timestamp = Now.AddDays(-3), purchases = 100 },
        });
        await PutAsync($"{prefix}/clicks.parquet",
            new ClickRow[] { new() { customer_id = 9, event_timestamp = Now.AddDays(-1), clicks = 1 } });
        var applied = await Registry.ApplyYamlAsync($$"""
            project: {{Project}}
            entities: [{name: customer, joinKeys: [{name: customer_id, type: int64}]}]
            sources:
              - {name: stats, path: {{prefix}}/stats.parquet, timestampField: event_timestamp, createdTimestampField: created}
              - {name: flags, path: {{prefix}}/flags.parquet, timestampField: event_timestamp}
              - {name: orders, path: {{prefix}}/orders.parquet, timestampField: event_timestamp}
              - {name: clicks_batch, path: {{prefix}}/clicks.parquet, timestampField: event_timestamp}
              - {name: clicks, kind: push, batchSource: clicks_batch}
            featureViews:
              - {name: stats, entities: [customer], source: stats, ttl: 10d,
                 schema: [{name: purchases, type: int64}, {name: avg_basket, type: float64}, {name: segment, type: string}]}
              - {name: flags, entities: [customer], source: flags, ttl: 1h, schema: [{name: is_active, type: bool}]}
              - {name: orders, entities: [customer], source: orders, ttl: 0, schema: [{name: purchases, type: int64}]}
              - {name: clicks, entities: [customer], source: clicks, ttl: 0,
                 schema: [{name: clicks, type: int64, validation: {min: 0, max: 1000} },
                          {name: channel, type: string, validation: {allowedValues: [web, app], default: web} }]}
            onDemandFeatureViews:
              - name: rates
                sources: [stats]
                requestFields: [{name: days_since_signup, type: int64}]
                schema: [{name: purchase_frequency, type: float64, expression: "purchases / nullif(days_since_signup, 0)"}]
            featureServices:
              - {name: churn, features: ["stats:purchases", "rates:purchase_frequency", flags]}
            """);
        Assert.True(applied.Status == 200, applied.Text);
        foreach (var view in new[] { "stats", "flags", "orders" })
            await Materializations.MaterializeAsync(Registry, Project, view, Now.AddDays(-30), Now, Cluster.Diagnostics);
    }

    private async Task PutAsync<T>(string key, IEnumerable<T> rows) where T : new() =>
        await Cluster.Objects.PutAsync(key, new MemoryStream(await SourceData.ToParquetAsync(rows)), CancellationToken.None);

    /// <summary>An instant as entity rows and pushes send it, and as the API writes it (WireTime).</summary>
    public static string Iso(DateTime t) =>
        FeatureStore.Domain.WireTime.Text(new DateTimeOffset(DateTime.SpecifyKind(t, DateTimeKind.Utc)));

    /// <summary>POSTs JSON text to feature-api and reads the answer whole.</summary>
    public async Task<Answer> PostAsync(string path, string json) =>
        await Answer.ReadAsync(await FeatureApi.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"),
            TestContext.Current.CancellationToken));

    public async Task<Answer> PostAsync(string path, object body) =>
        await Answer.ReadAsync(await FeatureApi.PostAsync(path, JsonContent.Create(body), TestContext.Current.CancellationToken));

    public async ValueTask DisposeAsync()
    {
        Registry?.Dispose();
        FeatureApi?.Dispose();
        await Cluster.DisposeAsync();
    }
}
