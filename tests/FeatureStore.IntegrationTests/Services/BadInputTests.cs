using System.Net;
using System.Text;
using System.Text.Json;
using FeatureStore.Domain;
using Npgsql;

namespace FeatureStore.IntegrationTests.Services;

/// <summary>
/// Every endpoint's bad input, against the real services: a 400 (or 404 for a named resource that does
/// not exist) problem detail naming the field, and nothing stored. Repository files have their own
/// matrix (ApplyValidationTests).
/// </summary>
public sealed partial class BadInputTests(ServiceCluster cluster) : IClassFixture<ServiceCluster>
{
    [Theory]
    [InlineData("api/v1/feature-views/bad-name", HttpStatusCode.BadRequest, "name")]
    [InlineData("api/v1/feature-views/stats?version=0", HttpStatusCode.BadRequest, "version")]
    [InlineData("api/v1/feature-views/stats?version=latest", HttpStatusCode.BadRequest, "version")]
    [InlineData("api/v1/feature-views/stats?project=no-dashes", HttpStatusCode.BadRequest, "project")]
    [InlineData("api/v1/feature-views/never_applied", HttpStatusCode.NotFound, "name")]
    [InlineData("api/v1/feature-views?project=a.b", HttpStatusCode.BadRequest, "project")]
    [InlineData("api/v1/materializations/not-a-guid", HttpStatusCode.BadRequest, "id")]
    [InlineData("api/v1/materializations/6f9619ff-8b86-d011-b42d-00cf4fc964ff", HttpStatusCode.NotFound, "id")]
    [InlineData("api/v1/feature-views/never_applied/materializations", HttpStatusCode.NotFound, "name")]
    [InlineData("api/v1/feature-views/stats/materializations?limit=0", HttpStatusCode.BadRequest, "limit")]
    [InlineData("api/v1/feature-views/never_applied/offline-files", HttpStatusCode.NotFound, "name")]
    [InlineData("api/v1/feature-views/stats/offline-files?version=-1", HttpStatusCode.BadRequest, "version")]
    [InlineData("api/v1/feature-views/stats/offline-files?includeStaged=perhaps", HttpStatusCode.BadRequest, "includeStaged")]
    [InlineData("api/v1/feature-views/stats/offline-files?asOf=-1", HttpStatusCode.BadRequest, "asOf")]
    [InlineData("api/v1/feature-views/stats/offline-files?asOf=latest", HttpStatusCode.BadRequest, "asOf")]
    [InlineData("api/v1/feature-views/never_applied/coverage", HttpStatusCode.NotFound, "name")]
    [InlineData("api/v1/feature-views/stats/coverage?version=0", HttpStatusCode.BadRequest, "version")]
    [InlineData("api/v1/feature-views/stats/coverage?asOf=-5", HttpStatusCode.BadRequest, "asOf")]
    [InlineData("api/v1/feature-views/bad-name/coverage", HttpStatusCode.BadRequest, "name")]
    [InlineData("api/v1/data-sources/bad-name/pushed-files", HttpStatusCode.BadRequest, "name")]
    [InlineData("api/v1/data-sources/clicks/pushed-files?upTo=-1", HttpStatusCode.BadRequest, "upTo")]
    [InlineData("api/v1/data-sources/clicks/pushed-files?upTo=many", HttpStatusCode.BadRequest, "upTo")]
    [InlineData("api/v1/projects/no-dashes/revision", HttpStatusCode.BadRequest, "project")]
    public async Task Bad_registry_reads_name_the_field(string path, HttpStatusCode status, string field)
    {
        await cluster.StartAsync();
        // A push source's log is read by the services alone (pipeline-worker): asked with their credential.
        using var registry = cluster.Registry.CreateClient(path.Contains("pushed-files") ? TestCredentials.ServiceKey : null);
        await AssertProblemAsync(await registry.GetAsync(path, TestContext.Current.CancellationToken), status, field);
    }

    public static TheoryData<string, string, HttpStatusCode, string> BadMaterializations => new()
    {
        { "stats_for_jobs", """{"start":"2024-01-01T00:00:00Z"}""", HttpStatusCode.BadRequest, "end" },
        { "stats_for_jobs", """{"end":"2024-01-01T00:00:00Z"}""", HttpStatusCode.BadRequest, "start" },
        { "stats_for_jobs", """{"start":"yesterday","end":"2024-01-01T00:00:00Z"}""", HttpStatusCode.BadRequest, "start" },
        { "stats_for_jobs", """{"start":"2024-02-01T00:00:00Z","end":"2024-01-01T00:00:00Z"}""", HttpStatusCode.BadRequest, "end" },
        { "stats_for_jobs", """{"start":"2024-01-01T00:00:00Z","end":"2024-02-01T00:00:00Z","extra":1}""",
            HttpStatusCode.BadRequest, "extra" },
        { "stats_for_jobs", """{"start":""", HttpStatusCode.BadRequest, "start" },
        { "no_such_view", """{"start":"2024-01-01T00:00:00Z","end":"2024-02-01T00:00:00Z"}""", HttpStatusCode.NotFound, "name" },
        { "bad-name", """{"start":"2024-01-01T00:00:00Z","end":"2024-02-01T00:00:00Z"}""", HttpStatusCode.BadRequest, "name" },
    };

    [Theory]
    [MemberData(nameof(BadMaterializations))]
    public async Task Bad_materialize_requests_name_the_field_and_create_no_job(string view, string body,
        HttpStatusCode status, string field)
    {
        await cluster.StartAsync();
        using var registry = cluster.Registry.CreateClient();
        await EnsureViewAsync(registry, "stats_for_jobs");
        var before = await CountAsync("materialization_jobs");
        await AssertProblemAsync(await PostAsync(registry, $"api/v1/feature-views/{view}/materialize", body), status, field);
        Assert.Equal(before, await CountAsync("materialization_jobs"));
    }

    [Theory]
    [InlineData("""{"project":"no-dashes"}""", HttpStatusCode.BadRequest, "project")]
    [InlineData("""{"project":"never_applied_here"}""", HttpStatusCode.NotFound, "project")]
    [InlineData("""{"partitions":0}""", HttpStatusCode.BadRequest, "partitions")]
    [InlineData("""{"project":"default","everything":true}""", HttpStatusCode.BadRequest, "everything")]
    public async Task Bad_restore_online_requests_name_the_field_and_create_no_job(string body, HttpStatusCode status, string field)
    {
        await cluster.StartAsync();
        using var registry = cluster.Registry.CreateClient();
        var before = await CountAsync("materialization_jobs");
        await AssertProblemAsync(await PostAsync(registry, "api/v1/materializations/restore-online", body), status, field);
        Assert.Equal(before, await CountAsync("materialization_jobs"));
    }

    public static TheoryData<string, string> BadOnlineRequests => new()
    {
        { """{"entities":{"customer_id":[1]}""", "serializerErrors" },
        { """{"entities":{"customer_id":[1]},"features":[]}""", "features" },
        { """{"entities":{"customer_id":[1]}}""", "features" },
        { """{"entities":{"customer_id":[1]},"features":["stats_online"]}""", "features[0]" },
        { """{"entities":{"customer_id":[1]},"features":["no_view:purchases"]}""", "features[0]" },
        { """{"entities":{"customer_id":[1]},"features":["stats_online@v9:purchases"]}""", "features[0]" },
        { """{"entities":{"customer_id":[1]},"features":["stats_online:nope"]}""", "features[0]" },
        { """{"entities":{"customer_id":[1]},"features":["stats_online:purchases","stats_online:purchases"]}""", "features[1]" },
        { """{"features":["stats_online:purchases"]}""", "entities" },
        { """{"entities":{},"features":["stats_online:purchases"]}""", "entities" },
        { """{"entities":{"customer_id":[]},"features":["stats_online:purchases"]}""", "entities" },
        { """{"entities":{"store_id":[1]},"features":["stats_online:purchases"]}""", "entities" },
        { """{"entities":{"customer_id":[1],"store_id":[1]},"features":["stats_online:purchases"]}""", "entities.store_id" },
        { """{"entities":{"customer_id":[1,"two"]},"features":["stats_online:purchases"]}""", "entities.customer_id[1]" },
        { """{"entities":{"customer_id":[1.5]},"features":["stats_online:purchases"]}""", "entities.customer_id[0]" },
        { """{"entities":{"customer_id":[1]},"features":["stats_online:purchases"],"fullFeatureNames":"yes"}""", "fullFeatureNames" },
        { """{"entities":{"customer_id":[1]},"features":["stats_online:purchases"],"project":"No Such"}""", "project" },
        { """{"entities":{"customer_id":[1]},"features":["stats_online:purchases"],"limit":3}""", "limit" },
    };

    [Theory]
    [MemberData(nameof(BadOnlineRequests))]
    public async Task Bad_online_feature_requests_name_the_field(string body, string field)
    {
        await cluster.StartAsync();
        using var registry = cluster.Registry.CreateClient();
        await EnsureViewAsync(registry, "stats_online");
        using var featureApi = cluster.FeatureApi.CreateClient();
        await AssertProblemAsync(await PostAsync(featureApi, "api/v1/online-features", body), HttpStatusCode.BadRequest, field);
    }

    [Fact]
    public async Task Online_requests_beyond_the_row_limit_are_refused()
    {
        await cluster.StartAsync();
        using var featureApi = cluster.FeatureApi.CreateClient();
        var ids = string.Join(",", Enumerable.Range(0, 10_001));
        var body = $$"""{"entities":{"customer_id":[{{ids}}]},"features":["stats_online:purchases"]}""";
        await AssertProblemAsync(await PostAsync(featureApi, "api/v1/online-features", body), HttpStatusCode.BadRequest, "entities");
    }

    [Theory]
    [InlineData("{}", HttpStatusCode.BadRequest, "customerId")]
    [InlineData("""{"customerId":""", HttpStatusCode.BadRequest, "customerId")]
    [InlineData("not json", HttpStatusCode.BadRequest, "serializerErrors")]
    [InlineData("""{"customerId":[17]}""", HttpStatusCode.BadRequest, "customerId")]
    [InlineData("""{"customerId":17,"whenFeaturesUnavailable":"never"}""", HttpStatusCode.BadRequest, "whenFeaturesUnavailable")]
    [InlineData("""{"customerId":17,"whenFeaturesUnavailable":null}""", HttpStatusCode.Conflict, "model")]
    [InlineData("""{"customerId":17}""", HttpStatusCode.Conflict, "model")]
    [InlineData("""{"customerId":"17"}""", HttpStatusCode.Conflict, "model")]
    public async Task Churn_prediction_validates_then_says_no_model_is_promoted_yet(string body, HttpStatusCode status, string field)
    {
        await cluster.StartAsync();
        using var modelApi = cluster.ModelApi.CreateClient();
        var problem = await AssertProblemAsync(await PostAsync(modelApi, "api/v1/predict/churn", body), status, field);
        if (status == HttpStatusCode.Conflict) Assert.Contains("promote", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Unknown_routes_and_methods_get_problem_details_not_500s()
    {
        await cluster.StartAsync();
        using var featureApi = cluster.FeatureApi.CreateClient();
        using var missing = await featureApi.GetAsync("api/v1/nowhere", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("application/problem+json", missing.Content.Headers.ContentType?.MediaType);
        using var wrongMethod = await featureApi.GetAsync("api/v1/online-features", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, wrongMethod.StatusCode);
        using var wrongType = await featureApi.PostAsync("api/v1/online-features",
            new StringContent("entities=1", Encoding.UTF8, "text/plain"),
            TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, wrongType.StatusCode);
    }

    [Fact]
    public async Task The_worker_lists_its_running_jobs()
    {
        await cluster.StartAsync();
        using var worker = cluster.Worker.CreateClient();
        Assert.Equal(JsonValueKind.Array,
            (await worker.GetForJsonAsync("api/v1/worker/jobs", TestContext.Current.CancellationToken)).ValueKind);
    }

    private static Task EnsureViewAsync(HttpClient registry, string name) =>
        Repositories.ApplyAsync(registry, Repositories.Customers(Names.DefaultProject,
            new TestView(name, $"sources/{Names.DefaultProject}/stats.parquet", "10d", ("purchases", "int64"), ("segment", "string"))));

    private static Task<HttpResponseMessage> PostAsync(HttpClient client, string path, string body) =>
        client.PostAsync(path, new StringContent(body, Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken);

    private static async Task<JsonElement> AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string field)
    {
        using (response)
        {
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == status, $"expected {(int)status}, got {(int)response.StatusCode}: {body}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            var problem = JsonDocument.Parse(body).RootElement;
            Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
            var names = problem.GetProperty("errors").EnumerateArray().Select(e => e.GetProperty("name").GetString()).ToList();
            Assert.True(names.Contains(field), $"no error names '{field}'; errors: {body}");
            return problem.Clone();
        }
    }

    private async Task<long> CountAsync(string table)
    {
        await using var connection = new NpgsqlConnection(cluster.Backends.RegistryConnectionString);
        await connection.OpenAsync();
        await using var count = new NpgsqlCommand($"SELECT COUNT(*) FROM {table}", connection);
        return (long)(await count.ExecuteScalarAsync())!;
    }
}
