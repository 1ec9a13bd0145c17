namespace FeatureStore.IntegrationTests.Registry;

/// <summary>A small but complete repository (entity, source, view with aggregations, on-demand view, service) whose parts tests
/// vary.</summary>
public sealed record SalesRepository(string Project)
{
    public string Ttl { get; init; } = "30d";
    public string SpendType { get; init; } = "float64";
    public string JoinKeyType { get; init; } = "int64";
    public bool WithChannel { get; init; } = true;
    public bool WithServices { get; init; } = true;
    public string ExtraViews { get; init; } = "";

    public override string ToString() => $$"""
        project: {{Project}}
        entities:
          - name: customer
            description: A customer of the shop
            joinKeys: [{name: customer_id, type: {{JoinKeyType}}}]
            tags: {domain: crm}
        sources:
          - name: orders
            path: sources/{{Project}}/orders.parquet
            timestampField: event_timestamp
            schema:
              - {name: customer_id, type: {{JoinKeyType}}}
              - {name: event_timestamp, type: timestamp}
              - {name: amount, type: float64}
              - {name: channel, type: string}
        featureViews:
          - name: order_stats
            description: How customers order
            entities: [customer]
            source: orders
            ttl: {{Ttl}}
            owner: growth
            tags: {team: growth}
            aggregations:
              - {name: orders_7d, function: count, column: amount, window: 7d}
              - {name: spend_30d, function: sum, column: amount, window: 30d}
            schema:
              - {name: orders_7d, type: int64, description: Orders in the last week}
              - {name: spend_30d, type: {{SpendType}}}
        {{(WithChannel ? "      - {name: channel, type: string}" : "")}}
        {{ExtraViews}}
        {{(WithServices ? Services : "")}}
        """;

    private const string Services = """
        onDemandFeatureViews:
          - name: order_ratios
            sources: [order_stats]
            requestFields: [{name: days_active, type: int64}]
            schema:
              - {name: orders_per_day, type: float64, expression: "orders_7d / nullif(days_active, 0)"}
        featureServices:
          - name: churn
            features: [order_stats, "order_ratios:orders_per_day"]
        """;
}
