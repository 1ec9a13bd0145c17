using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Feast.Serving;
using Feast.Types;
using FeatureStore.Contracts;
using Grpc.Core;
using Grpc.Net.Client;

namespace FeatureStore.IntegrationTests.Serving;

/// <summary>
/// Feast's gRPC serving API on feature-api's h2c port, called by a client generated from the same .proto files: the answer is
/// what <c>POST /get-online-features</c> answers for the same request (names, values typed as Feast types them, statuses,
/// event times), and refusals are gRPC statuses naming the field.
/// </summary>
public sealed class FeastGrpcTests(ServingScenario scenario) : IClassFixture<ServingScenario>, IDisposable
{
    private readonly GrpcChannel _channel = GrpcChannel.ForAddress(scenario.Cluster.FeatureApiGrpc);

    private ServingService.ServingServiceClient Client => new(_channel);

    private Metadata Headers(string? key = null) => new()
    {
        { FeatureStoreHeaders.ApiKey, key ?? TestCredentials.AdminKey },
        { FeatureStoreHeaders.Project, scenario.Project },
    };

    private static RepeatedValue Longs(params long[] values) => new() { Val = { values.Select(v => new Value { Int64Val = v }) } };

    [Fact]
    public async Task The_server_says_what_it_is()
    {
        var info = await Client.GetFeastServingInfoAsync(new GetFeastServingInfoRequest(), Headers(),
            cancellationToken: TestContext.Current.CancellationToken);
        Assert.StartsWith("featurestore-", info.Version, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Features_by_reference_answer_as_the_JSON_endpoint_does()
    {
        var request = new GetOnlineFeaturesRequest
        {
            Features = new FeatureList { Val = { "stats:purchases", "stats:avg_basket", "stats:segment", "flags:is_active" } },
            Entities = { ["customer_id"] = Longs(1, 2, 3, 5) },
            FullFeatureNames = true,
        };
        var grpc = await Client.GetOnlineFeaturesAsync(request, Headers(), cancellationToken: TestContext.Current.CancellationToken);
        var json = await scenario.PostAsync("get-online-features", $$"""
            {"project":"{{scenario.Project}}","entities":{"customer_id":[1,2,3,5]},
             "features":["stats:purchases","stats:avg_basket","stats:segment","flags:is_active"],"full_feature_names":true}
            """);
        AssertSameAnswer(json, grpc);
        // Typed as Feast types them: int64, double, string, bool; a missing value carries none.
        Assert.Equal(8L, grpc.Results[1].Values[0].Int64Val);
        Assert.Equal(Value.ValOneofCase.DoubleVal, grpc.Results[2].Values[0].ValCase);
        Assert.Equal("regular", grpc.Results[3].Values[0].StringVal);
        Assert.Equal(Value.ValOneofCase.None, grpc.Results[1].Values[3].ValCase);
        Assert.Equal(FieldStatus.NotFound, grpc.Results[1].Statuses[3]);
    }

    [Fact]
    public async Task A_feature_service_with_request_context_answers_as_the_JSON_endpoint_does()
    {
        var request = new GetOnlineFeaturesRequest
        {
            FeatureService = "churn",
            Entities = { ["customer_id"] = Longs(1, 2) },
            RequestContext = { ["days_since_signup"] = Longs(2, 0) },
        };
        var grpc = await Client.GetOnlineFeaturesAsync(request, Headers(), cancellationToken: TestContext.Current.CancellationToken);
        var json = await scenario.PostAsync("get-online-features", $$"""
            {"project":"{{scenario.Project}}","entities":{"customer_id":[1,2],"days_since_signup":[2,0]},"feature_service":"churn"}
            """);
        AssertSameAnswer(json, grpc);
        Assert.Equal(4.0, grpc.Results[3].Values[0].DoubleVal); // purchase_frequency: 8 purchases over 2 days, computed in the read
    }

    [Fact]
    public async Task Refusals_are_grpc_statuses_naming_the_field()
    {
        var ct = TestContext.Current.CancellationToken;
        var unknown = await Assert.ThrowsAsync<RpcException>(async () => await Client.GetOnlineFeaturesAsync(
            new GetOnlineFeaturesRequest { FeatureService = "nope", Entities = { ["customer_id"] = Longs(1) } }, Headers(),
            cancellationToken: ct));
        Assert.Equal(StatusCode.InvalidArgument, unknown.StatusCode);
        Assert.Contains("feature_service", unknown.Status.Detail, StringComparison.Ordinal);

        var wrongType = await Assert.ThrowsAsync<RpcException>(async () => await Client.GetOnlineFeaturesAsync(
            new GetOnlineFeaturesRequest
            {
                Features = new FeatureList { Val = { "stats:purchases" } },
                Entities = { ["customer_id"] = new RepeatedValue { Val = { new Value { StringVal = "one" } } } },
            }, Headers(), cancellationToken: ct));
        Assert.Equal(StatusCode.InvalidArgument, wrongType.StatusCode);
        Assert.Contains("entities.customer_id[0]", wrongType.Status.Detail, StringComparison.Ordinal);

        var nothing = await Assert.ThrowsAsync<RpcException>(async () => await Client.GetOnlineFeaturesAsync(
            new GetOnlineFeaturesRequest { Entities = { ["customer_id"] = Longs(1) } }, Headers(), cancellationToken: ct));
        Assert.Equal(StatusCode.InvalidArgument, nothing.StatusCode);
        Assert.Contains("features", nothing.Status.Detail, StringComparison.Ordinal);

        var anonymous = await Assert.ThrowsAsync<RpcException>(async () => await Client.GetOnlineFeaturesAsync(
            new GetOnlineFeaturesRequest { FeatureService = "churn", Entities = { ["customer_id"] = Longs(1) } },
            new Metadata { { FeatureStoreHeaders.Project, scenario.Project } }, cancellationToken: ct));
        Assert.Equal(StatusCode.Unauthenticated, anonymous.StatusCode);
    }

    [Fact]
    public async Task A_refused_call_is_audited_as_refused()
    {
        var ct = TestContext.Current.CancellationToken;
        using var created = await scenario.Registry.PostAsJsonAsync("api/v1/admin/keys",
            new { name = "grpc elsewhere", owner = "tests", projects = new[] { "elsewhere" }, roles = new[] { "reader" } }, ct);
        var secret = (await Answer.ReadAsync(created)).Body.GetProperty("secret").GetString()!;
        Assert.True(FeatureStore.Domain.Security.ApiKeySecret.TryReadId(secret, out var keyId));
        var refused = await Assert.ThrowsAsync<RpcException>(async () => await Client.GetOnlineFeaturesAsync(
            new GetOnlineFeaturesRequest { FeatureService = "churn", Entities = { ["customer_id"] = Longs(1) } }, Headers(secret),
            cancellationToken: ct));
        Assert.Equal(StatusCode.PermissionDenied, refused.StatusCode);
        Assert.Contains("project", refused.Status.Detail, StringComparison.Ordinal);

        // The audit sees the gRPC status (HTTP 200 on the wire) as the refusal it is.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        JsonElement records;
        do
        {
            await Task.Delay(200, ct);
            records = (await scenario.Registry.GetForJsonAsync($"api/v1/admin/audit?principal={keyId}&outcome=refused", ct))
                .GetProperty("records");
        } while (records.GetArrayLength() == 0 && DateTime.UtcNow < deadline);
        var record = Assert.Single(records.EnumerateArray());
        Assert.Equal(403, record.GetProperty("status").GetInt32());
        Assert.Equal("featureapi", record.GetProperty("service").GetString());
    }

    /// <summary>Same names in the same order, and per column and row the same value, status and event time (Feast's timestamps
    /// are whole seconds; event times keep their microseconds).</summary>
    private static void AssertSameAnswer(Answer json, GetOnlineFeaturesResponse grpc)
    {
        Assert.True(json.Status == 200, json.Text);
        Assert.Equal(json.Body.GetProperty("metadata").GetProperty("feature_names").EnumerateArray().Select(n => n.GetString()),
            grpc.Metadata.FeatureNames.Val);
        var columns = json.Body.GetProperty("results");
        Assert.Equal(columns.GetArrayLength(), grpc.Results.Count);
        for (var c = 0; c < grpc.Results.Count; c++)
        {
            var (expected, actual) = (columns[c], grpc.Results[c]);
            Assert.Equal(expected.GetProperty("values").EnumerateArray().Select(v => v.GetRawText()), actual.Values.Select(Text));
            Assert.Equal(expected.GetProperty("statuses").EnumerateArray().Select(s => s.GetString()),
                actual.Statuses.Select(s => s switch
                {
                    FieldStatus.Present => "PRESENT",
                    FieldStatus.NullValue => "NULL_VALUE",
                    FieldStatus.NotFound => "NOT_FOUND",
                    FieldStatus.OutsideMaxAge => "OUTSIDE_MAX_AGE",
                    _ => s.ToString(),
                }));
            Assert.Equal(expected.GetProperty("event_timestamps").EnumerateArray()
                    .Select(t => DateTimeOffset.Parse(t.GetString()!, CultureInfo.InvariantCulture)),
                actual.EventTimestamps.Select(t => t.ToDateTimeOffset()));
        }
    }

    /// <summary>A Feast value as the JSON endpoint writes the same value.</summary>
    private static string Text(Value value) => value.ValCase switch
    {
        Value.ValOneofCase.None => "null",
        Value.ValOneofCase.Int64Val => JsonSerializer.Serialize(value.Int64Val),
        Value.ValOneofCase.Int32Val => JsonSerializer.Serialize(value.Int32Val),
        Value.ValOneofCase.DoubleVal => JsonSerializer.Serialize(value.DoubleVal),
        Value.ValOneofCase.BoolVal => JsonSerializer.Serialize(value.BoolVal),
        Value.ValOneofCase.StringVal => JsonSerializer.Serialize(value.StringVal),
        var other => throw new InvalidOperationException($"the scenario has no {other} value"),
    };

    public void Dispose() => _channel.Dispose();
}
