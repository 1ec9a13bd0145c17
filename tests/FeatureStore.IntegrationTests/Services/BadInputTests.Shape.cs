using System.Net;
using System.Net.Sockets;
using System.Text;

namespace FeatureStore.IntegrationTests.Services;

/// <summary>
/// Requests malformed before any field is read (issue 14): a body that cannot be read as what it claims is a 415/400,
/// never a request run with defaults; an undeclared query parameter is a 400, never a value overriding the body; strict
/// JSON (duplicate or case-different members, nulls where values are required); Kestrel's own refusals and unknown
/// routes as problem details, whatever Accept says. Each refused request changes nothing.
/// </summary>
public sealed partial class BadInputTests
{
    public static TheoryData<string, string> MalformedContentTypes => new()
    {
        { "application/json, text/plain", "two media types in one header" },
        { "application/json;;;", "empty parameters" },
        { "text/plain", "not JSON" },
        { "application/json; charset=utf-16", "not UTF-8" },
    };

    [Theory]
    [MemberData(nameof(MalformedContentTypes))]
    public async Task A_body_that_is_not_what_it_claims_is_refused_and_starts_no_job(string contentType, string why)
    {
        await cluster.StartAsync();
        using var registry = cluster.Registry.CreateClient();
        await EnsureViewAsync(registry, "stats_for_jobs");
        var before = await CountAsync("materialization_jobs");
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/v1/feature-views/stats_for_jobs/materialize-incremental")
        {
            Content = new ByteArrayContent("""{"end":"yesterday"}"""u8.ToArray()),
        };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        await AssertProblemAsync(await registry.SendAsync(request, TestContext.Current.CancellationToken),
            HttpStatusCode.UnsupportedMediaType, "Content-Type");
        Assert.True(before == await CountAsync("materialization_jobs"), $"a job was started for a body with {why}");
    }

    [Fact]
    public async Task Two_Content_Type_headers_are_refused()
    {
        await cluster.StartAsync();
        using var modelApi = cluster.ModelApi.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/v1/models/churn/train")
        {
            Content = new ByteArrayContent("""{"project":"bad name!"}"""u8.ToArray()),
        };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", ["application/json", "application/json"]);
        await AssertProblemAsync(await modelApi.SendAsync(request, TestContext.Current.CancellationToken),
            HttpStatusCode.UnsupportedMediaType, "Content-Type");
    }

    [Theory]
    [InlineData("api/v1/feature-views/stats_for_jobs/materialize?Start=2024-01-01T00:00:00Z", "start")]
    [InlineData("api/v1/feature-views/stats_for_jobs/materialize?force=true", "force")]
    [InlineData("api/v1/feature-views/stats_for_jobs/materialize?name=other_view", "name")]
    public async Task Undeclared_query_parameters_are_refused_not_bound_over_the_body(string path, string field)
    {
        await cluster.StartAsync();
        using var registry = cluster.Registry.CreateClient();
        await EnsureViewAsync(registry, "stats_for_jobs");
        var before = await CountAsync("materialization_jobs");
        await AssertProblemAsync(await PostAsync(registry, path, """{"start":"bad","end":"2024-02-01T00:00:00Z"}"""),
            HttpStatusCode.BadRequest, field);
        Assert.Equal(before, await CountAsync("materialization_jobs"));
    }

    [Theory]
    [InlineData("api/v1/feature-views?project=default&project=other", "project")]
    [InlineData("api/v1/feature-views?limit=3", "limit")]
    public async Task Query_parameters_are_declared_and_given_once(string path, string field)
    {
        await cluster.StartAsync();
        using var registry = cluster.Registry.CreateClient();
        await AssertProblemAsync(await registry.GetAsync(path, TestContext.Current.CancellationToken), HttpStatusCode.BadRequest, field);
    }

    public static TheoryData<string, string> NotStrictJson => new()
    {
        { """{"entities":{"customer_id":[1]},"features":["stats_online:purchases"],"features":["stats_online:segment"]}""", "features" },
        { """{"entities":{"customer_id":[1]},"Features":["stats_online:purchases"]}""", "features" },
        { """{"entities":{"customer_id":[1]},"features":["stats_online:\ud800"]}""", "features[0]" },
        { """{"entities":{"customer_id":[1]},"features":[null]}""", "features" },
        { """{"entities":{"customer_id":null},"features":["stats_online:purchases"]}""", "entities" },
    };

    [Theory]
    [MemberData(nameof(NotStrictJson))]
    public async Task Json_is_strict(string body, string field)
    {
        await cluster.StartAsync();
        using var registry = cluster.Registry.CreateClient();
        await EnsureViewAsync(registry, "stats_online");
        using var featureApi = cluster.FeatureApi.CreateClient();
        await AssertProblemAsync(await PostAsync(featureApi, "api/v1/online-features", body), HttpStatusCode.BadRequest, field);
    }

    [Fact]
    public async Task A_push_of_null_rows_is_refused()
    {
        await cluster.StartAsync();
        using var featureApi = cluster.FeatureApi.CreateClient();
        await AssertProblemAsync(await PostAsync(featureApi, "api/v1/push", """{"pushSource":"clicks","rows":[null]}"""),
            HttpStatusCode.BadRequest, "rows");
    }

    [Fact]
    public async Task A_body_on_a_read_and_a_body_over_the_limit_are_refused()
    {
        await cluster.StartAsync();
        using var registry = cluster.Registry.CreateClient();
        using var read = new HttpRequestMessage(HttpMethod.Get, "api/v1/feature-views")
        {
            Content = new StringContent("{}", Encoding.UTF8, "application/json"),
        };
        await AssertProblemAsync(await registry.SendAsync(read, TestContext.Current.CancellationToken), HttpStatusCode.BadRequest, "body");
        using var featureApi = cluster.FeatureApi.CreateClient();
        var huge = new string(' ', 17 * 1024 * 1024) + "{}";
        await AssertProblemAsync(await PostAsync(featureApi, "api/v1/online-features", huge), HttpStatusCode.RequestEntityTooLarge, "body");
    }

    [Fact]
    public async Task A_malformed_chunked_body_is_a_400_problem()
    {
        await cluster.StartAsync();
        var address = cluster.FeatureApi.BaseAddress;
        using var client = new TcpClient();
        await client.ConnectAsync(address.Host, address.Port, TestContext.Current.CancellationToken);
        await using var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(
            $"POST /api/v1/online-features HTTP/1.1\r\nHost: {address.Authority}\r\nContent-Type: application/json\r\n" +
            $"{TestCredentials.Header}: {TestCredentials.AdminKey}\r\n" +
            "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n5\r\n{\"fea\r\nQQ\r\n"), TestContext.Current.CancellationToken);
        using var reader = new StreamReader(stream, Encoding.ASCII);
        var answer = await reader.ReadToEndAsync(TestContext.Current.CancellationToken);
        Assert.StartsWith("HTTP/1.1 400", answer);
        Assert.Contains("application/problem+json", answer);
        Assert.Contains("\"name\":\"body\"", answer);
    }

    [Fact]
    public async Task Errors_are_problem_details_whatever_the_client_accepts()
    {
        await cluster.StartAsync();
        using var featureApi = cluster.FeatureApi.CreateClient();
        foreach (var (method, path) in new[] { (HttpMethod.Delete, "api/v1/online-features"), (HttpMethod.Get, "api/v1/nowhere") })
        {
            using var request = new HttpRequestMessage(method, path);
            request.Headers.Accept.ParseAdd("text/html");
            using var response = await featureApi.SendAsync(request, TestContext.Current.CancellationToken);
            Assert.True((int)response.StatusCode is 404 or 405, $"{method} {path}: {(int)response.StatusCode}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.Contains("traceId", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        }
    }
}
