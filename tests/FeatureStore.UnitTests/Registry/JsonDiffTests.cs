using System.Text.Json.Nodes;
using FeatureStore.Registry.Definitions;

namespace FeatureStore.UnitTests.Registry;

public sealed class JsonDiffTests
{
    private static List<(string Path, string? Old, string? New)> Diff(string before, string after) =>
        JsonDiff.Compare(JsonNode.Parse(before), JsonNode.Parse(after))
            .Select(c => (c.Path, c.Old?.ToJsonString(), c.New?.ToJsonString())).ToList();

    [Fact]
    public void Equal_documents_have_no_diff() => Assert.Empty(Diff("""{"a":[1,{"b":2}]}""", """{"a":[1,{"b":2}]}"""));

    [Fact]
    public void Named_lists_are_matched_by_name_whatever_the_order()
    {
        var diff = Diff("""{"features":[{"name":"a","type":"int64"},{"name":"b","type":"string"}]}""",
                        """{"features":[{"name":"b","type":"string"},{"name":"a","type":"float64"},{"name":"c","type":"bool"}]}""");
        Assert.Equal([("features[a].type", "\"int64\"", "\"float64\""), ("features[c]", null, """{"name":"c","type":"bool"}""")], diff);
    }

    [Fact]
    public void Other_lists_compare_by_position_or_whole()
    {
        Assert.Equal([("tags[1]", "2", "3")], Diff("""{"tags":[1,2]}""", """{"tags":[1,3]}"""));
        Assert.Equal([("tags", "[1,2]", "[1]")], Diff("""{"tags":[1,2]}""", """{"tags":[1]}"""));
    }

    [Fact]
    public void Added_and_removed_fields_show_null_on_the_missing_side() =>
        Assert.Equal([("ttl", "\"1d\"", null), ("schedule", null, "\"@daily\"")], Diff("""{"ttl":"1d"}""", """{"schedule":"@daily"}"""));
}
