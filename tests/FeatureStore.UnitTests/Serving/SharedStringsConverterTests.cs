using System.Text.Json;
using FeatureStore.Contracts;

namespace FeatureStore.UnitTests.Serving;

public class SharedStringsConverterTests
{
    private static OnlineFeaturesRequestDto Read(string json) =>
        JsonSerializer.Deserialize<OnlineFeaturesRequestDto>(json, JsonSerializerOptions.Web)!;

    [Fact]
    public void Equal_texts_of_two_requests_are_one_string()
    {
        var first = Read("""{"features": ["shared_strings:a", "shared_strings:b"]}""").Features!;
        var second = Read("""{"features": ["shared_strings:b", "shared_strings:a"]}""").Features!;
        Assert.Equal(["shared_strings:a", "shared_strings:b"], first);
        Assert.Same(first[0], second[1]);
        Assert.Same(first[1], second[0]);
    }

    [Fact]
    public void Escaped_long_and_many_texts_read_as_the_default_reader_reads_them()
    {
        var longText = new string('x', 300);
        var many = Enumerable.Range(0, 200).Select(i => $"v:f{i}").ToList();
        var json = JsonSerializer.Serialize(new { features = new List<string>(["a\u00e9:\u0041", longText, .. many]) });
        Assert.Equal(["a\u00e9:A", longText, .. many], Read(json).Features!);
        Assert.Equal(["a\u00e9:A"], Read("""{"features": ["a\u00e9:\u0041"]}""").Features!);
    }

    [Fact]
    public void A_null_element_is_kept_for_the_request_rules_and_a_number_is_refused()
    {
        Assert.Equal(["v:f", null!], Read("""{"features": ["v:f", null]}""").Features!);
        Assert.Null(Read("""{"features": null}""").Features);
        Assert.Equal("$.features[1]", Assert.Throws<JsonException>(() => Read("""{"features": ["v:f", 1]}""")).Path);
        Assert.Equal("$.features[0]", Assert.Throws<JsonException>(() => Read("""{"features": ["\uD800"]}""")).Path);
        Assert.Throws<JsonException>(() => Read("""{"features": "v:f"}"""));
    }

    [Fact]
    public void Written_as_a_plain_array() =>
        Assert.Contains("\"features\":[\"v:f\",\"w:g\"]",
            JsonSerializer.Serialize(new OnlineFeaturesRequestDto { Features = ["v:f", "w:g"] }, JsonSerializerOptions.Web));
}
