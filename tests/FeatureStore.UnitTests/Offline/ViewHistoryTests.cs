using System.Text.Json;
using FeatureStore.Domain;

namespace FeatureStore.UnitTests.Offline;

public sealed class ViewHistoryTests
{
    private static readonly FeatureViewDefinition V1 = new("default", "activity",
        [new ViewEntity("customer", [new JoinKey("customer_id", FeatureValueType.Int64)])],
        new ViewSource("events", SourceKind.Batch, "sources/default/events.parquet", "event_timestamp", null),
        [new FeatureField("clicks", FeatureValueType.Int64, "how many"), new FeatureField("spend", FeatureValueType.Float64)],
        TimeSpan.FromDays(30), new ObjectMetadata("activity", "team", null), Version: 1);

    private static FeatureViewDefinition Next(FeatureViewDefinition before,
        Func<FeatureViewDefinition, FeatureViewDefinition> change, int version) =>
        change(before) with { Version = version, History = null };

    [Fact]
    public void What_does_not_change_the_rows_keeps_the_history()
    {
        var described = Next(V1, v => v with
        {
            Metadata = new ObjectMetadata("new words", "other team", new Dictionary<string, string> { ["tier"] = "gold" }),
            Ttl = TimeSpan.FromDays(7),
            Online = false,
            Schedule = "0 * * * *",
            MaxInvalidRate = 0.5,
            Features = [v.Features[1], v.Features[0] with { Description = "changed" }],
            Entities = [v.Entities[0] with { Name = "client" }],
            TransformationSql = null,
        }, 2);
        Assert.Equal(ViewHistory.Computation(V1), ViewHistory.Computation(described));
        Assert.Equal(1, ViewHistory.Assign(described, [V1]));
        Assert.Empty(ViewHistory.Differences(V1, described));
    }

    [Theory]
    [InlineData("schema")]
    [InlineData("transformation")]
    [InlineData("source")]
    [InlineData("join keys")]
    [InlineData("aggregations")]
    public void What_changes_the_rows_starts_a_new_history(string part)
    {
        var changed = Next(V1, v => part switch
        {
            "schema" => v with { Features = [v.Features[0] with { Type = FeatureValueType.Float64 }, v.Features[1]] },
            "transformation" => v with { TransformationSql = "SELECT * FROM source WHERE clicks > 0" },
            "source" => v with { Source = v.Source with { Path = "sources/default/events-v2.parquet" } },
            "join keys" => v with { Entities = [new ViewEntity("customer", [new JoinKey("customer_id", FeatureValueType.String)])] },
            _ => v with { Aggregations = [new Aggregation("clicks", AggregationFunction.Count, "clicks", TimeSpan.FromDays(7))] },
        }, 2);
        Assert.Equal(2, ViewHistory.Assign(changed, [V1]));
        Assert.Equal([part], ViewHistory.Differences(V1, changed));
    }

    [Fact]
    public void Validation_rules_and_defaults_are_part_of_what_a_view_computes()
    {
        var ruled = Next(V1, v => v with
        {
            Features = [v.Features[0] with { Rules = new FieldRules(Min: 0, Default: JsonSerializer.SerializeToElement(0)) }, v.Features[1]]
        }, 2);
        Assert.Equal(2, ViewHistory.Assign(ruled, [V1]));
    }

    [Fact]
    public void A_revert_finds_the_old_history_again()
    {
        var v2 = Next(V1, v => v with { TransformationSql = "SELECT * FROM source WHERE clicks > 0" }, 2) with { History = 2 };
        var v3 = Next(V1, v => v with { Metadata = new ObjectMetadata("back again", null, null) }, 3);
        Assert.Equal(1, ViewHistory.Assign(v3, [V1, v2]));
        // A version keeps the history it found, so a fourth that computes the same as the third reads it too.
        var v4 = Next(v3 with { History = 1 }, v => v, 4);
        Assert.Equal(1, ViewHistory.Assign(v4, [V1, v2, v3 with { History = 1 }]));
    }

    [Fact]
    public void The_stamp_of_history_is_not_part_of_what_a_definition_says()
    {
        Assert.Equal(DefinitionJson.Canonical(V1), DefinitionJson.Canonical(V1 with { History = 7 }));
        Assert.Equal(1, V1.HistoryVersion);
        Assert.Equal(7, (V1 with { History = 7 }).HistoryVersion);
    }
}
