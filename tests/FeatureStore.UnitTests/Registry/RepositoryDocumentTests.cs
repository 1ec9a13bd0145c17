using System.Text.Json;
using System.Text.Json.Nodes;
using FeatureStore.Api;
using FeatureStore.Contracts;
using FeatureStore.Domain;
using FeatureStore.Registry.Definitions;

namespace FeatureStore.UnitTests.Registry;

public sealed class RepositoryDocumentTests
{
    private static JsonNode? Yaml(string text, List<FieldError> errors) =>
        RepositoryDocument.Parse(text, yaml: true, new DocumentLimits(), errors);

    [Fact]
    public void Yaml_scalars_get_their_core_types()
    {
        var errors = new List<FieldError>();
        var node = Yaml("a: 5\nb: '5'\nc: true\nd: ~\ne: 2.5\nf: 30d\ng: null\nh: -7\ni: 1e3", errors)!.AsObject();
        Assert.Empty(errors);
        Assert.Equal(JsonValueKind.Number, node["a"]!.GetValueKind());
        Assert.Equal("5", node["b"]!.GetValue<string>());
        Assert.True(node["c"]!.GetValue<bool>());
        Assert.Null(node["d"]);
        Assert.Equal(2.5, node["e"]!.GetValue<double>());
        Assert.Equal("30d", node["f"]!.GetValue<string>());
        Assert.Null(node["g"]);
        Assert.Equal(-7, node["h"]!.GetValue<long>());
        Assert.Equal(1000, node["i"]!.GetValue<double>());
    }

    [Fact]
    public void Yaml_flow_and_block_styles_read_alike()
    {
        var errors = new List<FieldError>();
        var flow = Yaml("keys: [{name: id, type: int64}]", errors);
        var block = Yaml("keys:\n  - name: id\n    type: int64", errors);
        Assert.Empty(errors);
        Assert.True(JsonNode.DeepEquals(flow, block));
    }

    [Theory]
    [InlineData("a: 1\na: 2", "body", "gives the key 'a' twice")]
    [InlineData("a:\n  b: 1\n  b: 2", "a", "gives the key 'b' twice")]
    [InlineData("a: &x [*x]", "a[0]", "inside the node it names")]
    [InlineData("a: *nowhere", "a", "no anchor defines")]
    [InlineData("? [1]\n: 2", "body", "not plain text")]
    [InlineData("a: [1, 2", "body", "is not valid YAML at line")]
    [InlineData("a: 1\n---\nb: 2", "body", "more than one YAML document")]
    [InlineData("   ", "body", "is empty")]
    public void Yaml_problems_are_reported_with_where(string text, string field, string reason)
    {
        var errors = new List<FieldError>();
        Yaml(text, errors);
        var error = Assert.Single(errors);
        Assert.Equal(field, error.Field);
        Assert.Contains(reason, error.Reason);
    }

    [Fact]
    public void Anchors_repeat_what_they_name()
    {
        var errors = new List<FieldError>();
        var node = Yaml("base: &b {type: int64, tags: [x]}\nfirst: *b\nsecond: *b", errors)!.AsObject();
        Assert.Empty(errors);
        Assert.True(JsonNode.DeepEquals(node["base"], node["second"]));
        node["first"]!["type"] = "string"; // copies, not one shared node
        Assert.Equal("int64", node["second"]!["type"]!.GetValue<string>());
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Nesting_beyond_the_limit_is_a_field_error_not_a_crash(bool yaml)
    {
        var errors = new List<FieldError>();
        var deep = new string('[', 100_000) + new string(']', 100_000);
        RepositoryDocument.Parse($"{{\"a\": {deep}}}", yaml, new DocumentLimits(), errors);
        var error = Assert.Single(errors);
        Assert.Contains(yaml ? "deeper than 64" : "depth of 64", error.Reason);
    }

    [Fact]
    public void Alias_expansion_is_counted_and_bounded()
    {
        // Each level doubles: 2^30 values if expanded, 31 lines of text.
        var text = "l0: &l0 [x, x]\n" + string.Join("\n", Enumerable.Range(1, 30).Select(i => $"l{i}: &l{i} [*l{i - 1}, *l{i - 1}]"));
        var errors = new List<FieldError>();
        RepositoryDocument.Parse(text, yaml: true, new DocumentLimits { MaxNodes = 10_000 }, errors);
        var error = Assert.Single(errors);
        Assert.Contains("more than 10000 values", error.Reason);
        Assert.StartsWith("l1", error.Field); // where the budget ran out: l12 or so, never the whole expansion
    }

    [Fact]
    public void Json_keys_given_twice_are_an_error()
    {
        var errors = new List<FieldError>();
        RepositoryDocument.Parse("""{"project":"a","project":"b"}""", yaml: false, new DocumentLimits(), errors);
        Assert.Contains("project", Assert.Single(errors).Reason);
    }

    [Fact]
    public void Json_syntax_errors_give_line_and_position()
    {
        var errors = new List<FieldError>();
        RepositoryDocument.Parse("{\n  \"project\": \"x\",\n  oops\n}", yaml: false, new DocumentLimits(), errors);
        var error = Assert.Single(errors);
        Assert.Equal("body", error.Field);
        Assert.Contains("line 3", error.Reason);
    }

    [Fact]
    public void Media_types_choose_the_reader()
    {
        Assert.True(RepositoryDocument.IsYaml("application/yaml"));
        Assert.True(RepositoryDocument.IsYaml("text/x-yaml"));
        Assert.True(RepositoryDocument.IsJson("application/json"));
        Assert.True(RepositoryDocument.IsJson("application/vnd.featurestore+json"));
        Assert.False(RepositoryDocument.IsJson("text/plain"));
        Assert.False(RepositoryDocument.IsYaml(null));
    }
}

public sealed class StrictBinderTests
{
    private static (RepositoryDto? Dto, List<FieldError> Errors) Bind(string json)
    {
        var errors = new List<FieldError>();
        return (StrictBinder.Bind<RepositoryDto>(JsonNode.Parse(json), DefinitionJson.Options, errors), errors);
    }

    [Fact]
    public void Misspelled_keys_are_errors_with_a_suggestion_and_the_rest_still_binds()
    {
        var (dto, errors) = Bind(
            """{"project":"p","featureViews":[{"name":"v","tll":"1d","schema":[{"name":"f","type":"int64","descripton":"x"}]}]}""");
        Assert.Equal(["featureViews[0].tll", "featureViews[0].schema[0].descripton"], errors.Select(e => e.Field));
        Assert.Contains("did you mean 'ttl'?", errors[0].Reason);
        Assert.Contains("did you mean 'description'?", errors[1].Reason);
        Assert.Equal("v", dto!.FeatureViews![0]!.Name);
        Assert.Null(dto.FeatureViews[0]!.Ttl);
    }

    [Fact]
    public void Values_of_the_wrong_kind_are_errors_and_left_out()
    {
        var (dto, errors) = Bind("""{"project":"p","entities":"customer","featureViews":[""" +
            """{"name":"v","online":"yes","maxInvalidRate":"high","entities":[{},"customer"]}]}""");
        Assert.Equal(["entities", "featureViews[0].entities[0]", "featureViews[0].maxInvalidRate", "featureViews[0].online"],
            errors.Select(e => e.Field).Order(StringComparer.Ordinal));
        Assert.Contains("must be a list, not a string", errors.Single(e => e.Field == "entities").Reason);
        Assert.Contains("must be a string, not an object", errors.Single(e => e.Field == "featureViews[0].entities[0]").Reason);
        Assert.Null(dto!.Entities);
        Assert.Equal([null, "customer"], dto.FeatureViews![0]!.Entities!);
    }

    [Fact]
    public void Numbers_and_booleans_where_text_is_expected_are_taken_as_text()
    {
        var (dto, errors) = Bind("""{"project":5,"featureViews":[{"ttl":0,"tags":{"pii":false,"tier":2}}]}""");
        Assert.Empty(errors);
        Assert.Equal("5", dto!.Project);
        Assert.Equal("0", dto.FeatureViews![0]!.Ttl);
        Assert.Equal(new Dictionary<string, string> { ["pii"] = "false", ["tier"] = "2" }, dto.FeatureViews[0]!.Tags);
    }

    [Fact]
    public void A_document_that_is_not_an_object_is_refused()
    {
        var (dto, errors) = Bind("[1, 2]");
        Assert.Null(dto);
        Assert.Equal("body", Assert.Single(errors).Field);
    }

    [Fact]
    public void Any_json_is_fine_where_the_dto_holds_json()
    {
        var (dto, errors) = Bind(
            """{"featureViews":[{"schema":[{"validation":{"allowedValues":["a",1,true,null],"default":{"x":1}}}]}]}""");
        Assert.Empty(errors);
        Assert.Equal(4, dto!.FeatureViews![0]!.Schema![0]!.Validation!.AllowedValues!.Count);
    }
}
