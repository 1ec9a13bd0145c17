using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using DuckDB.NET.Data;
using FeatureStore.IntegrationTests.Registry;

namespace FeatureStore.IntegrationTests.Serving;

/// <summary>
/// Historical retrieval over the scenario's offline tables: the point-in-time table of docs/semantics.md (TTL edges,
/// created-time ties, no match, duplicates, several views, full names, collisions), formats in and out, saved datasets.
/// </summary>
public sealed class HistoricalRetrievalTests(ServingScenario scenario) : IClassFixture<ServingScenario>
{
    private string Project => scenario.Project;

    /// <summary>Parquet keeps microseconds, so entity times are built from event times at that precision.</summary>
    private DateTime At(TimeSpan offset) => Micro(scenario.Now + offset);

    private static DateTime Micro(DateTime t) => new(t.Ticks - t.Ticks % 10, DateTimeKind.Utc);

    private static string Iso(DateTime t) => ServingScenario.Iso(t);

    private async Task<List<JsonElement>> RetrieveAsync(object body)
    {
        var answer = await scenario.PostAsync("api/v1/historical-features", body);
        Assert.True(answer.Status == 200, answer.Text);
        return answer.Body.EnumerateArray().ToList();
    }

    private static object? Value(JsonElement row, string name) => row.GetProperty(name) switch
    {
        { ValueKind: JsonValueKind.Null } => null,
        { ValueKind: JsonValueKind.Number } n when n.TryGetInt64(out var l) => l,
        { ValueKind: JsonValueKind.Number } n => n.GetDouble(),
        { ValueKind: JsonValueKind.True } => true,
        { ValueKind: JsonValueKind.False } => false,
        var other => other.GetString(),
    };

    [Fact]
    public async Task The_point_in_time_table_holds_at_every_edge()
    {
        var ttlEdge = At(TimeSpan.FromDays(-15)) + TimeSpan.FromDays(10);
        var rows = new (long Customer, DateTime Ts, object? Purchases, object? Active, string Why)[]
        {
            (1, At(TimeSpan.FromDays(-1)), 8L, null, "event time equal to the entity time counts"),
            (1, At(TimeSpan.FromDays(-2) + TimeSpan.FromHours(1)), 5L, null, "the newest row at or before the time, not after"),
            (1, At(TimeSpan.FromDays(-3)), null, null, "nothing before the first row"),
            (2, At(TimeSpan.Zero), null, true, "a null value stays null; flags within its 1 h TTL"),
            (3, ttlEdge, 30L, null, "exactly TTL old: still inside"),
            (3, ttlEdge.AddTicks(10), null, null, "one microsecond past the TTL: null"),
            (4, At(TimeSpan.Zero), 41L, null, "equal event times: the later created row wins"),
            (1, At(TimeSpan.FromDays(-1)), 8L, null, "a duplicate entity row is kept, in place"),
            (1, At(TimeSpan.FromMinutes(-60)), 8L, false, "flags 30 minutes old at that time: inside its 1 h TTL"),
            (5, At(TimeSpan.Zero), null, null, "an unknown entity keeps its row"),
            (1, At(TimeSpan.Zero), 8L, null, "flags 90 minutes old with a 1 h TTL: null"),
        };
        var result = await RetrieveAsync(new
        {
            project = Project,
            features = new[] { "stats:purchases", "flags:is_active" },
            entities = rows.Select(
                (r, i) => new Dictionary<string, object> { ["customer_id"] = r.Customer, ["event_timestamp"] = Iso(r.Ts), ["label"] = i }),
        });
        Assert.Equal(rows.Length, result.Count);
        for (var i = 0; i < rows.Length; i++)
        {
            Assert.Equal((long)i, Value(result[i], "label"));  // order kept, own columns carried through
            Assert.True(Equals(rows[i].Purchases, Value(result[i], "purchases")), $"row {i} purchases ({rows[i].Why}): {result[i]}");
            Assert.True(Equals(rows[i].Active, Value(result[i], "is_active")), $"row {i} is_active ({rows[i].Why}): {result[i]}");
        }
        Assert.Equal(Iso(rows[0].Ts), result[0].GetProperty("event_timestamp").GetString());
    }

    [Fact]
    public async Task A_few_entity_rows_answer_alike_from_held_histories_by_key_and_by_asof_among_many()
    {
        // Rows at every row's event time and TTL edge (and a microsecond either side), and at random times: answered alone
        // (a few rows: from the histories held in memory, once they are; and, by a replica that holds none, each view joined by
        // key) and
        // followed by 300 more (an ASOF join), the same values.
        var edges = new[] { -2.0, -1.0, -15.0, -3.0, -90 / 1440.0, -10 / 1440.0, -5.0, -15.0 + 10, -90 / 1440.0 + 1 / 24.0 }
            .SelectMany(days => new[] { -10L, 0L, 10L }.Select(ticks => TimeSpan.FromDays(days) + TimeSpan.FromTicks(ticks)));
        var random = new Random(23);
        var times = edges.Concat(Enumerable.Range(0, 20).Select(_ => TimeSpan.FromMinutes(-random.Next(0, 60 * 24 * 20)))).ToList();
        var rows = times.SelectMany(t => new[] { 1, 2, 3, 4, 5 }.Select(c => new Dictionary<string, object>
        { ["customer_id"] = c, ["event_timestamp"] = Iso(At(t)) })).ToList();
        Assert.InRange(rows.Count, 1, 256); // the few-rows forms answer them
        var padding = Enumerable.Range(0, 300).Select(_ => new Dictionary<string, object>
        { ["customer_id"] = 9, ["event_timestamp"] = Iso(At(TimeSpan.Zero)) });
        var features = new[] { "stats:purchases", "stats:segment", "flags:is_active", "orders:purchases" };

        // The first request that needs a history starts holding it; the answers after that come from memory.
        var views = new[] { "stats", "flags", "orders" };
        await RetrieveAsync(new { project = Project, features, fullFeatureNames = true, entities = rows });
        for (var wait = 0; !views.All(HeldLogged(scenario.Cluster.FeatureApi)) && wait < 300; wait++)
            await Task.Delay(100, TestContext.Current.CancellationToken);
        var held = await RetrieveAsync(new { project = Project, features, fullFeatureNames = true, entities = rows });
        var many = await RetrieveAsync(new { project = Project, features, fullFeatureNames = true, entities = rows.Concat(padding) });
        var holdsNone = await scenario.Cluster.StartFeatureApiAsync(new Dictionary<string, string>
        { ["FeatureStore__Historical__HeldRows"] = "0" });
        using var unheld = holdsNone.CreateClient();
        var answer = await Answer.ReadAsync(await unheld.PostAsync("api/v1/historical-features",
            JsonContent.Create(new { project = Project, features, fullFeatureNames = true, entities = rows }),
            TestContext.Current.CancellationToken));
        Assert.True(answer.Status == 200, answer.Text);
        var byKey = answer.Body.EnumerateArray().ToList();

        Assert.Equal(rows.Count + 300, many.Count);
        Assert.Equal(held.Select(r => r.GetRawText()), many.Take(rows.Count).Select(r => r.GetRawText()));
        Assert.Equal(held.Select(r => r.GetRawText()), byKey.Select(r => r.GetRawText()));
        Assert.Contains(held, r => Value(r, "stats__purchases") is 41L); // the created-time tie, broken the same way
        Assert.Contains(held, r => Value(r, "flags__is_active") is false);
        // Every view the held answer read was held (and the replica that holds none held nothing).
        Assert.All(views, view => Assert.True(HeldLogged(scenario.Cluster.FeatureApi)(view), $"{view} was never held"));
        Assert.DoesNotContain("Holding offline history", File.ReadAllText(holdsNone.LogPath));
    }

    private static Func<string, bool> HeldLogged(FeatureStore.Testing.ServiceProcess featureApi)
    {
        var log = File.ReadAllText(featureApi.LogPath);
        return view => log.Contains($"of feature view {view} v1:", StringComparison.Ordinal);
    }

    [Fact]
    public async Task Full_names_avoid_collisions_and_on_demand_features_use_point_in_time_inputs()
    {
        var entities = new[] { new Dictionary<string, object> { ["customer_id"] = 1, ["event_timestamp"] = Iso(At(TimeSpan.Zero)),
            ["days_since_signup"] = 4 } };
        var clash = await scenario.PostAsync("api/v1/historical-features",
            new { project = Project, features = new[] { "stats:purchases", "orders:purchases" }, entities });
        Assert.Equal(400, clash.Status);
        Assert.Contains("features[1]", clash.ErrorFields);

        var row = (await RetrieveAsync(new
        {
            project = Project, fullFeatureNames = true, entities,
            features = new[] { "stats:purchases", "orders:purchases", "rates:purchase_frequency" },
        })).Single();
        Assert.Equal(8L, Value(row, "stats__purchases"));
        Assert.Equal(100L, Value(row, "orders__purchases"));
        Assert.Equal(2.0, Value(row, "rates__purchase_frequency"));

        var byService = (await RetrieveAsync(new { project = Project, featureService = "churn", entities })).Single();
        Assert.Equal(2.0, Value(byService, "purchase_frequency"));
        Assert.Null(Value(byService, "is_active"));
    }

    [Fact]
    public async Task Csv_and_parquet_frames_come_in_and_go_out()
    {
        var csv = $"customer_id,event_timestamp,label\n4,{Iso(At(TimeSpan.Zero))},x\n1,{Iso(At(TimeSpan.FromDays(-1)))},y\n";
        using var request = new HttpRequestMessage(HttpMethod.Post,
            $"api/v1/historical-features?project={Project}&features=stats:purchases,stats:segment")
        {
            Content = new StringContent(csv, Encoding.UTF8, "text/csv"),
        };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/vnd.apache.parquet"));
        using var response = await scenario.FeatureApi.SendAsync(request, TestContext.Current.CancellationToken);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        var parquet = Path.Combine(Path.GetTempPath(), $"hist-{Guid.NewGuid():N}.parquet");
        await File.WriteAllBytesAsync(parquet, await response.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken),
            TestContext.Current.CancellationToken);
        var read = Query($"SELECT label, purchases, segment FROM read_parquet('{parquet}')");
        Assert.Equal([["x", 41L, "b"], ["y", 8L, "regular"]], read);

        using var back = new HttpRequestMessage(HttpMethod.Post, $"api/v1/historical-features?project={Project}&features=stats:purchases")
        {
            Content = new ByteArrayContent(await File.ReadAllBytesAsync(parquet, TestContext.Current.CancellationToken)),
        };
        back.Content.Headers.ContentType = new MediaTypeHeaderValue("application/vnd.apache.parquet");
        back.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/csv"));
        var clash = await Answer.ReadAsync(await scenario.FeatureApi.SendAsync(back, TestContext.Current.CancellationToken));
        Assert.Equal(400, clash.Status); // the frame already has a 'purchases' column
        File.Delete(parquet);
    }

    [Fact]
    public async Task A_saved_dataset_records_how_to_reproduce_it()
    {
        var name = $"train_{Guid.NewGuid():N}"[..20];
        var entities = new[] { new Dictionary<string, object> { ["customer_id"] = 1, ["event_timestamp"] = Iso(At(TimeSpan.Zero)),
            ["days_since_signup"] = 4 } };
        var answer = await scenario.PostAsync("api/v1/historical-features",
            new { project = Project, featureService = "churn", entities, saveAs = name });
        Assert.True(answer.Status == 200, answer.Text);
        var location = answer.Headers.Location!.ToString();
        var dataset = await scenario.FeatureApi.GetAnswerAsync(location.TrimStart('/'));
        Assert.True(dataset.Status == 200, dataset.Text);
        Assert.Equal("churn", dataset.Body.GetProperty("featureService").GetString());
        Assert.Equal(1, dataset.Body.GetProperty("featureServiceVersion").GetInt32());
        Assert.Equal(1, dataset.Body.GetProperty("rows").GetInt64());
        Assert.Equal(64, dataset.Body.GetProperty("entityDataframeSha256").GetString()!.Length);
        Assert.Contains("stats@v1:purchases", dataset.Body.GetProperty("features").EnumerateArray().Select(f => f.GetString()));
        var again = await scenario.PostAsync("api/v1/historical-features",
            new { project = Project, featureService = "churn", entities, saveAs = name });
        Assert.Equal(409, again.Status);
    }

    public static TheoryData<string, string, int, string> BadRequests => new()
    {
        { """{"features":["stats:purchases"],"entities":[{"customer_id":1}]}""", "application/json", 400, "entities" },
        { """{"features":["stats:purchases"],"entities":[{"customer_id":"one","event_timestamp":"2024-01-01T00:00:00Z"}]}""",
            "application/json", 400, "entities.customer_id" },
        { """{"features":["stats:purchases"],"entities":[{"customer_id":1,"event_timestamp":"yesterday"}]}""",
            "application/json", 400, "entities.event_timestamp" },
        { """{"features":["stats:purchases"],"entities":[]}""", "application/json", 400, "entities" },
        { """{"entities":[{"customer_id":1,"event_timestamp":"2024-01-01T00:00:00Z"}]}""", "application/json", 400, "features" },
        { """{"features":["stats:nope"],"entities":[{"customer_id":1,"event_timestamp":"2024-01-01T00:00:00Z"}]}""",
            "application/json", 400, "features[0]" },
        { """{"features":["stats:purchases"],"entities":[{"customer_id":1,"event_timestamp":"2024-01-01T00:00:00Z"}],"limit":1}""",
            "application/json", 400, "limit" },
        { """{"features":["stats:purchases"],"entities":[{"customer_id":1,"event_timestamp":"2024-01-01T00:00:00Z","__row":1}]}""",
            "application/json", 400, "entities.__row" },
        { """{"features":["stats:purchases"],"entities":[{"customer_id":1,"event_timestamp":"2024-01-01T00:00:00Z"}]""" +
            ""","saveAs":"Bad Name"}""",
            "application/json", 400, "saveAs" },
        { """{"features":""", "application/json", 400, "features" },
        { """{"features":["stats:purchases"],"entities":[{"customer_id":1,"event_timestamp":"2024-01-01T00:00:00Z"}],"allowGaps":"yes"}""",
            "application/json", 400, "allowGaps" },
        { "customer_id\n1\n", "text/plain", 415, "Content-Type" },
        { "customer_id,event_timestamp\n1,2024-01-01T00:00:00Z\n1,infinity\n", "text/csv", 400, "entities.event_timestamp" },
    };

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task Bad_requests_name_the_field(string body, string contentType, int status, string field)
    {
        var json = contentType == "application/json" && body.StartsWith("{\"", StringComparison.Ordinal)
            ? body.Replace("{\"features\"", $"{{\"project\":\"{Project}\",\"features\"")
                .Replace("{\"entities\"", $"{{\"project\":\"{Project}\",\"entities\"")
            : body;
        var path = contentType == "text/csv" ? $"api/v1/historical-features?project={Project}&features=stats:purchases"
            : "api/v1/historical-features";
        var answer = await Answer.ReadAsync(await scenario.FeatureApi.PostAsync(path,
            new StringContent(json, Encoding.UTF8, contentType), TestContext.Current.CancellationToken));
        Assert.True(answer.Status == status, answer.Text);
        Assert.Contains(field, answer.ErrorFields);
        Assert.True(answer.Status != 415 || answer.Text.Contains("Content-Type"), answer.Text);
    }

    [Fact]
    public async Task An_answer_nobody_can_read_is_refused_up_front()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/v1/historical-features")
        {
            Content = new StringContent(
                """{"features":["stats:purchases"],"entities":[{"customer_id":1,"event_timestamp":"2024-01-01T00:00:00Z"}]}""",
                Encoding.UTF8, "application/json"),
        };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/html"));
        var answer = await Answer.ReadAsync(await scenario.FeatureApi.SendAsync(request, TestContext.Current.CancellationToken));
        Assert.Equal(406, answer.Status);
    }

    private static List<object?[]> Query(string sql)
    {
        using var connection = new DuckDBConnection("DataSource=:memory:");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql + " ORDER BY label";
        using var reader = command.ExecuteReader();
        var rows = new List<object?[]>();
        while (reader.Read())
            rows.Add(Enumerable.Range(0, reader.FieldCount).Select(i => reader.IsDBNull(i) ? null : reader.GetValue(i)).ToArray());
        return rows;
    }
}
