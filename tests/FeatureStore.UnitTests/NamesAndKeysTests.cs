using FeatureStore.Domain;
using FeatureStore.Storage.Objects;

namespace FeatureStore.UnitTests;

public sealed class NamesAndKeysTests
{
    [Theory]
    [InlineData("customer_stats", true)]
    [InlineData("_private", true)]
    [InlineData("v2", true)]
    [InlineData("2fast", false)]
    [InlineData("my-view", false)]
    [InlineData("a b", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void Identifier_rule(string? name, bool valid) => Assert.Equal(valid, Names.IsValid(name));

    [Fact]
    public void Names_have_a_length_limit() => Assert.False(Names.IsValid(new string('a', Names.MaxLength + 1)));

    [Theory]
    [InlineData("sources/customers.parquet", true)]
    [InlineData("offline/p/v/v1/date=2024-01-01/part-0.parquet", true)]
    [InlineData("/absolute", false)]
    [InlineData("sources/../secrets", false)]
    [InlineData("sources//double", false)]
    [InlineData("back\\slash", false)]
    [InlineData("", false)]
    public void Object_keys_stay_inside_their_store(string key, bool valid) => Assert.Equal(valid, ObjectKeys.IsValid(key));

    [Fact]
    public void Definitions_round_trip_through_their_json()
    {
        var definition = new FeatureViewDefinition("p", "stats",
            [new ViewEntity("customer", [new JoinKey("customer_id", FeatureValueType.Int64)])],
            new ViewSource("events", SourceKind.Push, "sources/p/s.parquet", "ts", "created"),
            [new FeatureField("f", FeatureValueType.Float32Array)],
            TimeSpan.FromDays(10), new ObjectMetadata("d", "o", new Dictionary<string, string> { ["z"] = "1", ["a"] = "2" }),
            Aggregations: [new Aggregation("f", AggregationFunction.Sum, "amount", TimeSpan.FromDays(7))], Version: 3)
        {
            CreatedAt = new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero),
        };
        var json = DefinitionJson.Serialize(definition);
        var back = (FeatureViewDefinition)DefinitionJson.Deserialize(ObjectKind.FeatureView, json);
        Assert.Equal(json, DefinitionJson.Serialize(back));
        Assert.Contains("\"ttl\":\"10d\"", json);
        Assert.Contains("\"type\":\"float32[]\"", json);
        Assert.Contains("\"sourceKind\":\"push\"", json);
        Assert.Equal(DefinitionJson.Canonical(definition), DefinitionJson.Canonical(back with { Version = 9 }));
    }

    [Fact]
    public void Tags_in_any_order_make_the_same_definition()
    {
        var a = new ObjectMetadata(null, null, new Dictionary<string, string> { ["b"] = "1", ["a"] = "2" });
        var b = new ObjectMetadata(null, null, new Dictionary<string, string> { ["a"] = "2", ["b"] = "1" });
        Assert.Equal(DefinitionJson.Canonical(new EntityDefinition("p", "e", [], a)),
            DefinitionJson.Canonical(new EntityDefinition("p", "e", [], b)));
    }
}
