using System.Text.Json;
using System.Text.Json.Serialization;
using FeatureStore.Contracts;
using FeatureStore.Domain;
using FeatureStore.IntegrationTests.Registry;
using FeatureStore.Storage.Online;
using FeatureStore.Testing;
using StackExchange.Redis;

namespace FeatureStore.IntegrationTests.Serving;

/// <summary>Online reads through the real feature-api: statuses, feature services, on-demand features, names, Feast's shape, one
/// entity.</summary>
public sealed class OnlineServingTests(ServingScenario scenario) : IClassFixture<ServingScenario>
{
    private string Project => scenario.Project;

    private async Task<JsonElement> ReadAsync(string json)
    {
        var answer = await scenario.PostAsync("api/v1/online-features", json);
        Assert.True(answer.Status == 200, answer.Text);
        return answer.Body;
    }

    private static (string? Status, JsonElement Value, JsonElement Time) Cell(JsonElement body, int row, string feature)
    {
        var result = body.GetProperty("results")[row];
        return (result.GetProperty("statuses").GetProperty(feature).GetString(), result.GetProperty("values").GetProperty(feature),
            result.GetProperty("eventTimestamps").GetProperty(feature));
    }

    [Fact]
    public async Task The_answer_has_exactly_the_shape_the_API_documents()
    {
        // The endpoint writes its answer by hand (no DTO per request); the OpenAPI document describes OnlineFeaturesResponseDto.
        // Read strictly into the DTO (no member it lacks) and written back, the answer must be the same JSON.
        var body = await ReadAsync($$"""
            {"project":"{{Project}}","entities":{"customer_id":[1,2,5]},"features":["stats:purchases","flags:is_active"]}
            """);
        var strict = new JsonSerializerOptions(JsonSerializerOptions.Web) { UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow };
        var dto = body.Deserialize<OnlineFeaturesResponseDto>(strict)!;
        var again = JsonSerializer.SerializeToElement(dto, JsonSerializerOptions.Web);
        Assert.True(SameJson(body, again), $"wire:\n{body}\nDTO:\n{again}");
    }

    // The same JSON, times compared as instants (the wire writes "…Z", a DateTimeOffset "…+00:00").
    private static bool SameJson(JsonElement a, JsonElement b) => (a.ValueKind, b.ValueKind) switch
    {
        (JsonValueKind.Object, JsonValueKind.Object) => a.EnumerateObject().Count() == b.EnumerateObject().Count()
            && a.EnumerateObject().All(p => b.TryGetProperty(p.Name, out var other) && SameJson(p.Value, other)),
        (JsonValueKind.Array, JsonValueKind.Array) => a.GetArrayLength() == b.GetArrayLength()
            && a.EnumerateArray().Zip(b.EnumerateArray()).All(pair => SameJson(pair.First, pair.Second)),
        (JsonValueKind.String, JsonValueKind.String) when a.TryGetDateTimeOffset(out var x) && b.TryGetDateTimeOffset(out var y) => x == y,
        _ => JsonElement.DeepEquals(a, b),
    };

    [Fact]
    public async Task Every_status_is_reported_with_its_event_time()
    {
        var body = await ReadAsync($$"""
            {"project":"{{Project}}","entities":{"customer_id":[1,2,3,4,5]},"features":["stats:purchases","flags:is_active"]}
            """);
        Assert.Equal(["purchases", "is_active"], body.GetProperty("featureNames").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(("PRESENT", 8L), (Cell(body, 0, "purchases").Status, Cell(body, 0, "purchases").Value.GetInt64()));
        Assert.Equal("OUTSIDE_MAX_AGE", Cell(body, 0, "is_active").Status);   // 90 minutes old, TTL 1 h
        Assert.Equal(JsonValueKind.Null, Cell(body, 0, "is_active").Value.ValueKind);
        Assert.Equal("NULL_VALUE", Cell(body, 1, "purchases").Status);
        Assert.Equal(("PRESENT", true), (Cell(body, 1, "is_active").Status, Cell(body, 1, "is_active").Value.GetBoolean()));
        Assert.Equal("OUTSIDE_MAX_AGE", Cell(body, 2, "purchases").Status);   // 15 days old, TTL 10 days
        Assert.Equal(41L, Cell(body, 3, "purchases").Value.GetInt64());        // the later-created row of a tie
        Assert.Equal(("NOT_FOUND", JsonValueKind.Null), (Cell(body, 4, "purchases").Status, Cell(body, 4, "purchases").Time.ValueKind));
        var time = Cell(body, 0, "purchases").Time.GetDateTimeOffset();
        Assert.True(Math.Abs((time.UtcDateTime - scenario.Now.AddDays(-1)).TotalMilliseconds) < 1, $"event time {time:O}");
    }

    /// <summary>Writers store a row's features in its view's schema order and a read finds them by that order in one pass; a row
    /// stored in another order, with a feature the view no longer has and without one it has, is still read by name.</summary>
    [Fact]
    public async Task A_row_stored_in_another_order_is_read_by_name()
    {
        await using var redis = await ConnectionMultiplexer.ConnectAsync(TestInfrastructure.Redis);
        var time = new RowTime(new DateTimeOffset(scenario.Now.AddHours(-1), TimeSpan.Zero));
        await new RedisOnlineStore(redis).WriteAsync(Project, "stats", ["segment", "dropped", "purchases"],
            [new OnlineRow(EntityKey.Single("customer_id", "77"), time, ["odd", 1.5, 7L])],
            TimeSpan.Zero, TestContext.Current.CancellationToken);
        var body = await ReadAsync($$"""
            {"project":"{{Project}}","entities":{"customer_id":[77, 1]},
             "features":["stats:avg_basket","stats:purchases","stats:segment"]}
            """);
        Assert.Equal(("PRESENT", 7L), (Cell(body, 0, "purchases").Status, Cell(body, 0, "purchases").Value.GetInt64()));
        Assert.Equal(("PRESENT", "odd"), (Cell(body, 0, "segment").Status, Cell(body, 0, "segment").Value.GetString()));
        Assert.Equal(("NOT_FOUND", JsonValueKind.Null), (Cell(body, 0, "avg_basket").Status, Cell(body, 0, "avg_basket").Value.ValueKind));
        // A row the worker wrote, in schema order: every feature where its position says.
        Assert.Equal((8L, 11.0, "regular"), (Cell(body, 1, "purchases").Value.GetInt64(), Cell(body, 1, "avg_basket").Value.GetDouble(),
            Cell(body, 1, "segment").Value.GetString()));
    }

    [Fact]
    public async Task On_demand_features_are_computed_from_present_inputs_and_request_fields()
    {
        var body = await ReadAsync($$"""
            {"project":"{{Project}}","entities":{"customer_id":[1,1,2,3,5],"days_since_signup":[4,0,4,4,4]},
             "features":["rates:purchase_frequency"]}
            """);
        Assert.Equal(("PRESENT", 2.0), (Cell(body, 0, "purchase_frequency").Status, Cell(body, 0, "purchase_frequency").Value.GetDouble()));
        Assert.Equal("NULL_VALUE", Cell(body, 1, "purchase_frequency").Status);      // nullif(0, 0): no rate
        Assert.Equal("NULL_VALUE", Cell(body, 2, "purchase_frequency").Status);      // its input is null
        Assert.Equal("OUTSIDE_MAX_AGE", Cell(body, 3, "purchase_frequency").Status); // its input is stale: said, not hidden
        Assert.Equal("NOT_FOUND", Cell(body, 4, "purchase_frequency").Status);
        Assert.Equal(JsonValueKind.Null, Cell(body, 3, "purchase_frequency").Value.ValueKind);
    }

    [Fact]
    public async Task A_feature_service_selects_its_features_whole_views_included()
    {
        var body = await ReadAsync($$"""
            {"project":"{{Project}}","entities":{"customer_id":[1],"days_since_signup":[2]},"featureService":"churn"}
            """);
        Assert.Equal(["purchases", "purchase_frequency", "is_active"],
            body.GetProperty("featureNames").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(4.0, Cell(body, 0, "purchase_frequency").Value.GetDouble());
        var missing = await scenario.PostAsync("api/v1/online-features", $$"""
            {"project":"{{Project}}","entities":{"customer_id":[1]},"featureService":"churn"}
            """);
        Assert.Equal(400, missing.Status);
        Assert.Contains("days_since_signup", missing.Text);
    }

    [Fact]
    public async Task Equal_names_collide_unless_full_feature_names_are_asked_for()
    {
        var clash = await scenario.PostAsync("api/v1/online-features", $$"""
            {"project":"{{Project}}","entities":{"customer_id":[1]},"features":["stats:purchases","orders:purchases"]}
            """);
        Assert.Equal(400, clash.Status);
        Assert.Contains("features[1]", clash.ErrorFields);
        var body = await ReadAsync($$"""
            {"project":"{{Project}}","entities":{"customer_id":[1]},
             "features":["stats:purchases","orders:purchases"],"fullFeatureNames":true}
            """);
        Assert.Equal(8L, Cell(body, 0, "stats__purchases").Value.GetInt64());
        Assert.Equal(100L, Cell(body, 0, "orders__purchases").Value.GetInt64());
    }

    [Fact]
    public async Task Feast_clients_get_feasts_column_major_answer()
    {
        var answer = await scenario.PostAsync("get-online-features", $$"""
            {"project":"{{Project}}","entities":{"customer_id":[1,5]},
             "features":["stats:purchases","flags:is_active"],"full_feature_names":true}
            """);
        Assert.True(answer.Status == 200, answer.Text);
        Assert.Equal(["customer_id", "stats__purchases", "flags__is_active"],
            answer.Body.GetProperty("metadata").GetProperty("feature_names").EnumerateArray().Select(e => e.GetString()));
        var results = answer.Body.GetProperty("results");
        Assert.Equal([1L, 5L], results[0].GetProperty("values").EnumerateArray().Select(v => v.GetInt64()));
        Assert.Equal(8L, results[1].GetProperty("values")[0].GetInt64());
        Assert.Equal(["PRESENT", "NOT_FOUND"], results[1].GetProperty("statuses").EnumerateArray().Select(s => s.GetString()));
        Assert.Equal(["OUTSIDE_MAX_AGE", "NOT_FOUND"], results[2].GetProperty("statuses").EnumerateArray().Select(s => s.GetString()));
        Assert.Equal("1970-01-01T00:00:00Z", results[1].GetProperty("event_timestamps")[1].GetString());
        Assert.True(DateTimeOffset.Parse(results[1].GetProperty("event_timestamps")[0].GetString()!,
                System.Globalization.CultureInfo.InvariantCulture)
            > scenario.Now.AddDays(-2));

        var byService = await scenario.PostAsync("get-online-features", $$"""
            {"project":"{{Project}}","entities":{"customer_id":[1],"days_since_signup":[2]},"feature_service":"churn"}
            """);
        Assert.True(byService.Status == 200, byService.Text);
        Assert.Equal(5, byService.Body.GetProperty("results").GetArrayLength()); // as Feast: key and request columns, then three features
        var bad = await scenario.PostAsync("get-online-features", $$"""
            {"project":"{{Project}}","entities":{"customer_id":[1]},"feature_service":"nope"}
            """);
        Assert.Equal(400, bad.Status);
        Assert.Contains("feature_service", bad.ErrorFields);
    }

    [Fact]
    public async Task One_entity_shows_every_online_feature_of_its_views()
    {
        var answer = await Answer.ReadAsync(await scenario.FeatureApi.GetAsync($"api/v1/entities/customer/1?project={Project}",
            TestContext.Current.CancellationToken));
        Assert.True(answer.Status == 200, answer.Text);
        Assert.Equal(["clicks__clicks", "clicks__channel", "flags__is_active", "orders__purchases", "stats__purchases",
            "stats__avg_basket", "stats__segment"],
            answer.Body.GetProperty("featureNames").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("regular", Cell(answer.Body, 0, "stats__segment").Value.GetString());

        var notNumber = await scenario.FeatureApi.GetAsync($"api/v1/entities/customer/abc?project={Project}",
            TestContext.Current.CancellationToken);
        Assert.Equal(400, (int)notNumber.StatusCode);
        var unknown = await scenario.FeatureApi.GetAsync($"api/v1/entities/shop/1?project={Project}",
            TestContext.Current.CancellationToken);
        Assert.Equal(404, (int)unknown.StatusCode);
    }

    [Fact]
    public async Task A_changed_feature_service_is_served_as_changed_once_the_registry_says_so()
    {
        var request = $$"""{"project":"{{Project}}","entities":{"customer_id":[1]},"featureService":"churn_b"}""";
        Assert.Equal(400, (await scenario.PostAsync("api/v1/online-features", request)).Status);

        // Only the service is in the file: everything else is kept as the registry has it.
        async Task ApplyAsync(string features)
        {
            var applied = await scenario.Registry.ApplyYamlAsync($$"""
                project: {{Project}}
                featureServices: [{name: churn_b, features: [{{features}}]}]
                """);
            Assert.True(applied.Status == 200, applied.Text);
        }
        async Task<bool> ServesAsync(params string[] names)
        {
            var answer = await scenario.PostAsync("api/v1/online-features", request);
            return answer.Status == 200 && answer.Body.GetProperty("featureNames").EnumerateArray()
                .Select(e => e.GetString()).SequenceEqual(names);
        }
        await ApplyAsync("\"stats:purchases\"");
        await FeatureStore.IntegrationTests.Messaging.RetryAndErrorQueueTests.Eventually(() => ServesAsync("purchases"),
            "the new service is served", 30);
        await ApplyAsync("\"stats:purchases\", \"stats:segment\"");
        await FeatureStore.IntegrationTests.Messaging.RetryAndErrorQueueTests.Eventually(() => ServesAsync("purchases", "segment"),
            "the changed service is served", 30);
    }

    public static TheoryData<string, string> BadRequests => new()
    {
        { """{"entities":{"customer_id":[1]},"features":["stats:purchases"],"featureService":"churn"}""", "features" },
        { """{"entities":{"customer_id":[1]},"featureService":"nope"}""", "featureService" },
        { """{"entities":{"customer_id":[1]},"featureService":"Not Valid"}""", "featureService" },
        { """{"entities":{"customer_id":[1],"days_since_signup":["four"]},"features":["rates:purchase_frequency"]}""",
            "entities.days_since_signup[0]" },
        { """{"entities":{"customer_id":[1]},"features":["rates:purchase_frequency"]}""", "entities" },
        { """{"entities":{"customer_id":[1]},"features":["rates:nope"]}""", "features[0]" },
        { """{"entities":{"customer_id":[1],"days_since_signup":[1]},"features":["stats:purchases"]}""", "entities.days_since_signup" },
    };

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task Bad_selections_name_the_field(string body, string field)
    {
        var answer = await scenario.PostAsync("api/v1/online-features",
            body.Replace("{\"entities\"", $"{{\"project\":\"{Project}\",\"entities\""));
        Assert.True(answer.Status == 400, answer.Text);
        Assert.Contains(field, answer.ErrorFields);
    }
}
