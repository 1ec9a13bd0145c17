using System.Globalization;
using System.Text.Json;

namespace FeatureStore.IntegrationTests.Serving;

/// <summary>Pushed rows through the real feature-api: read back online and in historical retrieval; bad rows write nothing.</summary>
public sealed class PushTests(ServingScenario scenario) : IClassFixture<ServingScenario>
{
    private string Project => scenario.Project;

    private static string Iso(DateTime t) => ServingScenario.Iso(t);

    private async Task<JsonElement> PushAsync(string to, params (long Customer, DateTime At, long Clicks)[] rows)
    {
        var answer = await scenario.PostAsync("api/v1/push", new
        {
            project = Project, pushSource = "clicks", to,
            rows = rows.Select(r => new Dictionary<string, object>
            { ["customer_id"] = r.Customer, ["event_timestamp"] = Iso(r.At), ["clicks"] = r.Clicks }),
        });
        Assert.True(answer.Status == 200, answer.Text);
        return answer.Body;
    }

    private async Task<(string? Status, long? Clicks)> OnlineAsync(long customer)
    {
        var answer = await scenario.PostAsync("api/v1/online-features", new
        {
            project = Project, entities = new Dictionary<string, long[]> { ["customer_id"] = [customer] },
            features = new[] { "clicks:clicks" },
        });
        Assert.True(answer.Status == 200, answer.Text);
        var row = answer.Body.GetProperty("results")[0];
        var value = row.GetProperty("values").GetProperty("clicks");
        return (row.GetProperty("statuses").GetProperty("clicks").GetString(),
            value.ValueKind == JsonValueKind.Null ? null : value.GetInt64());
    }

    /// <summary>Point-in-time values, allowed to fall outside what was pushed (the times around pushes are not covered).</summary>
    private async Task<long?[]> HistoricalAsync(long customer, params DateTime[] times) =>
        (await HistoricalWithGapsAsync(customer, times)).Values;

    private async Task<(long?[] Values, JsonElement Gaps)> HistoricalWithGapsAsync(long customer, params DateTime[] times)
    {
        var answer = await scenario.PostAsync("api/v1/historical-features", new
        {
            project = Project, features = new[] { "clicks:clicks" }, allowGaps = true,
            entities = times.Select(t => new Dictionary<string, object> { ["customer_id"] = customer, ["event_timestamp"] = Iso(t) }),
        });
        Assert.True(answer.Status == 200, answer.Text);
        return (answer.Body.GetProperty("rows").EnumerateArray()
            .Select(r => r.GetProperty("clicks") is { ValueKind: JsonValueKind.Number } v ? v.GetInt64() : (long?)null).ToArray(),
            answer.Body.GetProperty("gaps"));
    }

    [Fact]
    public async Task Pushed_rows_are_read_back_online_and_point_in_time()
    {
        var now = scenario.Now;
        var result = await PushAsync("online_and_offline", (70, now.AddHours(-2), 3), (70, now.AddHours(-1), 4));
        var view = result.GetProperty("views")[0];
        Assert.Equal(("clicks", 1L, 2L), (view.GetProperty("view").GetString(), view.GetProperty("onlineKeysWritten").GetInt64(),
            view.GetProperty("offlineRows").GetInt64()));
        Assert.Equal(("PRESENT", 4L), await OnlineAsync(70));
        var (values, gaps) = await HistoricalWithGapsAsync(70, now.AddHours(-3), now.AddHours(-2), now);
        Assert.Equal([null, 3L, 4L], values);
        // The pushes cover the span of their rows; the history says what it does not cover, here before and after it.
        Assert.Equal("clicks", gaps[0].GetProperty("view").GetString());
        Assert.NotEmpty(gaps[0].GetProperty("gaps").EnumerateArray());

        // An older row never replaces a newer one online; offline it is history like any other.
        var older = await PushAsync("online_and_offline", (70, now.AddHours(-5), 1));
        Assert.Equal(0, older.GetProperty("views")[0].GetProperty("onlineKeysWritten").GetInt64());
        Assert.Equal(("PRESENT", 4L), await OnlineAsync(70));
        Assert.Equal([1L, 3L], await HistoricalAsync(70, now.AddHours(-3), now.AddHours(-2)));
    }

    [Fact]
    public async Task Offline_only_pushes_stay_out_of_the_online_store()
    {
        await PushAsync("offline", (71, scenario.Now.AddHours(-1), 9));
        Assert.Equal(("NOT_FOUND", null), await OnlineAsync(71));
        Assert.Equal([9L], await HistoricalAsync(71, scenario.Now));
        await PushAsync("online", (72, scenario.Now.AddHours(-1), 5));
        Assert.Equal([null], await HistoricalAsync(72, scenario.Now));
        Assert.Equal(("PRESENT", 5L), await OnlineAsync(72));
    }

    [Fact]
    public async Task A_missing_value_takes_its_default_and_rule_bounds_are_inclusive()
    {
        var at = scenario.Now.AddHours(-1);
        var answer = await scenario.PostAsync("api/v1/push", new
        {
            project = Project, pushSource = "clicks", to = "online_and_offline",
            rows = new object[]
            {
                new { customer_id = 74, event_timestamp = Iso(at), clicks = 1000 },
                new { customer_id = 75, event_timestamp = Iso(at), clicks = 0, channel = "app" },
            },
        });
        Assert.True(answer.Status == 200, answer.Text);
        var online = await scenario.PostAsync("api/v1/online-features", new
        {
            project = Project, entities = new Dictionary<string, long[]> { ["customer_id"] = [74, 75] },
            features = new[] { "clicks:clicks", "clicks:channel" },
        });
        Assert.True(online.Status == 200, online.Text);
        var values = online.Body.GetProperty("results").EnumerateArray()
            .Select(r => (r.GetProperty("values").GetProperty("clicks").GetInt64(),
                r.GetProperty("values").GetProperty("channel").GetString())).ToList();
        Assert.Equal([(1000L, "web"), (0L, "app")], values);
        var history = await scenario.PostAsync("api/v1/historical-features", new
        {
            project = Project, features = new[] { "clicks:channel" }, allowGaps = true,
            entities = new[] { new Dictionary<string, object> { ["customer_id"] = 74, ["event_timestamp"] = Iso(scenario.Now) } },
        });
        Assert.True(history.Status == 200, history.Text);
        Assert.Equal("web", history.Body.GetProperty("rows")[0].GetProperty("channel").GetString());
    }

    public static TheoryData<string, string> BadPushes => new()
    {
        { """{"pushSource":"nope","rows":[{"customer_id":73,"event_timestamp":"2024-01-01T00:00:00Z","clicks":1}]}""", "pushSource" },
        { """{"pushSource":"clicks_batch","rows":[{"customer_id":73,"event_timestamp":"2024-01-01T00:00:00Z","clicks":1}]}""",
            "pushSource" },
        { """{"pushSource":"clicks","rows":[{"customer_id":73,"clicks":1}]}""", "rows[0].event_timestamp" },
        { """{"pushSource":"clicks","rows":[{"customer_id":73,"event_timestamp":"2024-01-01T00:00:00Z","clicks":"many"}]}""",
            "rows[0].clicks" },
        { """{"pushSource":"clicks","rows":[{"customer_id":73,"event_timestamp":"2024-01-01T00:00:00Z","clicks":1},""" +
            """{"event_timestamp":"2024-01-01T00:00:00Z"}]}""", "rows[1].customer_id" },
        { """{"pushSource":"clicks","rows":[{"customer_id":73,"event_timestamp":"2024-01-01T00:00:00Z","colour":"red"}]}""",
            "rows[0].colour" },
        { """{"pushSource":"clicks","rows":[{"customer_id":73,"event_timestamp":"2024-01-01T00:00:00Z"}],"to":"sideways"}""", "to" },
        { """{"pushSource":"clicks","rows":[]}""", "rows" },
        { """{"pushSource":"clicks","rows":[{"customer_id":73,"event_timestamp":"2024-01-01T00:00:00Z","clicks":-1}]}""",
            "rows[0].clicks" },
        { """{"pushSource":"clicks","rows":[{"customer_id":73,"event_timestamp":"2024-01-01T00:00:00Z","clicks":1001}]}""",
            "rows[0].clicks" },
        { """{"pushSource":"clicks","rows":[{"customer_id":73,"event_timestamp":"2024-01-01T00:00:00Z","channel":"fax"}]}""",
            "rows[0].channel" },
    };

    [Theory]
    [MemberData(nameof(BadPushes))]
    public async Task Bad_pushes_name_the_field_and_write_nothing(string body, string field)
    {
        // Every bad push asks for both stores, so nothing may reach either.
        var json = body.Replace("{\"pushSource\"", $"{{\"project\":\"{Project}\",\"pushSource\"");
        if (!json.Contains("\"to\"", StringComparison.Ordinal)) json = json[..^1] + ",\"to\":\"online_and_offline\"}";
        var answer = await scenario.PostAsync("api/v1/push", json);
        Assert.True(answer.Status == 400, answer.Text);
        Assert.Contains(field, answer.ErrorFields);
        Assert.Equal(("NOT_FOUND", null), await OnlineAsync(73));
        Assert.Equal([null], await HistoricalAsync(73, new DateTime(2024, 1, 2, 0, 0, 0, DateTimeKind.Utc)));
    }

    private const string LogFile = """{"path":"pushes/%PROJECT%/clicks/date=2024-01-01/p.parquet","date":"2024-01-01","rowCount":1""" +
        ""","minEventTime":"2024-01-01T00:00:00Z","maxEventTime":"2024-01-01T00:00:00Z","contentHash":"%HASH%","sizeBytes":1}""";

    public static TheoryData<string, string, int, string> BadPushRecords => new()
    {
        { "clicks", """{"pushId":"5f0b2b8e-8a53-4b9a-9c55-0b7f2b5a1c11","logFiles":[""" +
            """{"path":"sources/x.parquet","date":"2024-01-01","rowCount":1""" +
            ""","minEventTime":"2024-01-01T00:00:00Z","maxEventTime":"2024-01-01T00:00:00Z","contentHash":"%HASH%","sizeBytes":1}]}""",
            400, "logFiles[0].path" },
        { "clicks", """{"logFiles":[]}""", 400, "pushId" },
        { "clicks", """{"pushId":"5f0b2b8e-8a53-4b9a-9c55-0b7f2b5a1c11","logFiles":[{"path":"p","date":"January","rowCount":0""" +
            ""","minEventTime":"2024-01-01T00:00:00Z","maxEventTime":"2024-01-01T00:00:00Z","contentHash":"x","sizeBytes":1}]}""",
            400, "logFiles[0].date" },
        { "clicks", """{"pushId":"5f0b2b8e-8a53-4b9a-9c55-0b7f2b5a1c11","logFiles":[LOG],"views":[""" +
            """{"view":"clicks","version":9,"files":[LOG]}]}""",
            400, "views[0]" },
        { "clicks", """{"pushId":"5f0b2b8e-8a53-4b9a-9c55-0b7f2b5a1c11","logFiles":[LOG],"views":[""" +
            """{"view":"clicks","version":1,"files":[LOG]}]}""",
            400, "views[0].files[0].path" },
        { "clicks_batch", """{"pushId":"5f0b2b8e-8a53-4b9a-9c55-0b7f2b5a1c11","logFiles":[LOG]}""", 404, "name" },
    };

    [Theory]
    [MemberData(nameof(BadPushRecords))]
    public async Task The_registry_records_only_well_formed_pushes_under_their_tables_prefixes(string source, string body,
        int status, string field)
    {
        var json = body.Replace("LOG", LogFile).Replace("%HASH%", new string('a', 64)).Replace("%PROJECT%", Project);
        // Pushes are recorded by feature-api alone: the registry is asked with the services' credential.
        using var service = scenario.Cluster.Registry.CreateClient(TestCredentials.ServiceKey);
        var answer = await Answer.ReadAsync(await service.PostAsync(
            $"api/v1/data-sources/{source}/pushes?project={Project}",
            new StringContent(json, System.Text.Encoding.UTF8, "application/json"),
            TestContext.Current.CancellationToken));
        Assert.True(answer.Status == status, answer.Text);
        Assert.Contains(field, answer.ErrorFields);
        var files = await scenario.Registry.GetStringAsync(
            $"api/v1/feature-views/clicks/offline-files?project={Project}&includeStaged=true", TestContext.Current.CancellationToken);
        Assert.DoesNotContain("sources/x.parquet", files);
        var log = await service.GetStringAsync($"api/v1/data-sources/clicks/pushed-files?project={Project}",
            TestContext.Current.CancellationToken);
        Assert.DoesNotContain("p.parquet", log);
    }
}
