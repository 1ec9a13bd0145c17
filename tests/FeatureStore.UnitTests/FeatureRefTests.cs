using FeatureStore.Domain;

namespace FeatureStore.UnitTests;

public sealed class FeatureRefTests
{
    [Fact]
    public void Parses_a_plain_reference()
    {
        Assert.True(FeatureRef.TryParse("customer_stats:purchases_30d", out var reference));
        Assert.Equal(new FeatureRef("customer_stats", "purchases_30d"), reference);
        Assert.Null(reference.Version);
    }

    [Fact]
    public void Parses_a_pinned_version()
    {
        Assert.True(FeatureRef.TryParse("customer_stats@v12:purchases", out var reference));
        Assert.Equal(12, reference.Version);
        Assert.Equal("customer_stats@v12:purchases", reference.ToString());
    }

    [Theory]
    [InlineData("purchases")]
    [InlineData(":purchases")]
    [InlineData("view:")]
    [InlineData("a:b:c")]
    [InlineData("view@2:f")]
    [InlineData("view@v0:f")]
    [InlineData("view@v:f")]
    [InlineData("view@vx:f")]
    [InlineData("my-view:f")]
    [InlineData("view:f g")]
    public void Rejects_malformed_references(string text) => Assert.False(FeatureRef.TryParse(text, out _));

    [Fact]
    public void Output_names_follow_full_feature_names()
    {
        var reference = new FeatureRef("customer_stats", "purchases");
        Assert.Equal("purchases", reference.OutputName(fullFeatureNames: false));
        Assert.Equal("customer_stats__purchases", reference.OutputName(fullFeatureNames: true));
    }
}
