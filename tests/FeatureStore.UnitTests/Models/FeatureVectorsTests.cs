using System.Text.Json;
using FeatureStore.Client;
using FeatureStore.ModelApi.Training;

namespace FeatureStore.UnitTests.Models;

/// <summary>The model input read straight from JSON is the one rule's answer for the same value read as a plain value.</summary>
public sealed class FeatureVectorsTests
{
    [Theory]
    [InlineData("1")]
    [InlineData("-7")]
    [InlineData("9007199254740993")] // past double's whole numbers: long first, then float, as the plain rule does
    [InlineData("9223372036854775808")] // past long: a double
    [InlineData("0.1")]
    [InlineData("-2.5e-3")]
    [InlineData("1e308")]
    [InlineData("true")]
    [InlineData("false")]
    [InlineData("null")]
    [InlineData("\"12\"")]
    [InlineData("\"NaN\"")]
    [InlineData("[1, 2]")]
    [InlineData("{\"a\": 1}")]
    public void Json_values_become_the_inputs_their_plain_values_do(string json)
    {
        var value = JsonElement.Parse(json);
        var expected = FeatureVectors.ToInput(OnlineFeatures.Plain(value));
        Assert.Equal(BitConverter.SingleToInt32Bits(expected), BitConverter.SingleToInt32Bits(FeatureVectors.ToInput(value)));
    }

    [Fact]
    public void No_value_is_missing()
    {
        Assert.True(float.IsNaN(FeatureVectors.ToInput((JsonElement?)null)));
        Assert.True(float.IsNaN(FeatureVectors.ToInput(OnlineFeatures.Plain(null))));
    }
}
