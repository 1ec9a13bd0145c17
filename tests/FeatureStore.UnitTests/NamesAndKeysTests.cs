using FeatureStore.Contracts;
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
    public void Feature_view_dto_and_definition_round_trip()
    {
        var definition = new FeatureViewDefinition("p", "stats", 3, new EntityDefinition("customer", "customer_id", FeatureValueType.Int64),
            new BatchSource("sources/s.parquet", "ts", "created"), [new FeatureField("f", FeatureValueType.Float32Array)],
            TimeSpan.FromDays(10), new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var back = definition.ToDto().ToDefinition();
        Assert.True(definition.SameDefinitionAs(back));
        Assert.Equal(definition.Version, back.Version);
        Assert.Equal("float32[]", definition.ToDto().Features![0].Type);
    }
}
