using System.Text.Json;
using FeatureStore.Domain;

namespace FeatureStore.UnitTests;

public sealed class EntityKeyTests
{
    [Fact]
    public void Integers_from_data_and_json_give_the_same_key()
    {
        var fromInt32 = EntityKey.ValueText(FeatureValueType.Int64, 1001);
        var fromInt64 = EntityKey.ValueText(FeatureValueType.Int64, 1001L);
        var fromJson = EntityKey.ValueText(FeatureValueType.Int64, JsonElement.Parse("1001"));
        Assert.Equal("1001", fromInt32);
        Assert.Equal(fromInt32, fromInt64);
        Assert.Equal(fromInt32, fromJson);
    }

    [Theory]
    [InlineData("\"1001\"")]
    [InlineData("1.5")]
    [InlineData("true")]
    [InlineData("null")]
    [InlineData("99999999999999999999")]
    public void Json_of_the_wrong_type_is_no_int64_key(string json) =>
        Assert.Null(EntityKey.ValueText(FeatureValueType.Int64, JsonElement.Parse(json)));

    [Fact]
    public void Int32_keys_refuse_values_beyond_int32() =>
        Assert.Null(EntityKey.ValueText(FeatureValueType.Int32, JsonElement.Parse("3000000000")));

    [Fact]
    public void String_keys_escape_the_separators()
    {
        Assert.Equal("a%7Cb%3Dc%25", EntityKey.ValueText(FeatureValueType.String, "a|b=c%"));
        Assert.Equal("plain", EntityKey.ValueText(FeatureValueType.String, JsonElement.Parse("\"plain\"")));
        Assert.Null(EntityKey.ValueText(FeatureValueType.String, 5L));
    }

    [Fact]
    public void Composite_keys_are_ordered_by_join_key()
    {
        var key = EntityKey.Compose([new("store_id", "3"), new("order_id", "7")]);
        Assert.Equal("order_id=7|store_id=3", key.Text);
        Assert.Equal("customer_id=1", EntityKey.Single("customer_id", "1").Text);
    }
}
