using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using FeatureStore.IntegrationTests.Security;

namespace FeatureStore.IntegrationTests.Compatibility;

/// <summary>
/// The Feature Store 2.0 calls against the standalone host, each body as docs/compatibility.md shows it: a feature set declared
/// with a new entity and source, features added (a column with rules, a SQL expression, a windowed aggregation), the set
/// materialized, then served online and as a point-in-time training frame; and refusals that name the body's own fields and
/// change nothing.
/// </summary>
public sealed class FeatureStore2Tests(StandaloneSecurityHost host) : IClassFixture<StandaloneSecurityHost>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private const string FeatureSet = """
        {
          "name": "customer_transactions",
          "description": "What each customer spends",
          "owner": "risk-team@example.com",
          "entities": [{"name": "customer", "join_key": "customer_id", "value_type": "int64"}],
          "source": {
            "name": "transactions",
            "path": "sources/default/transactions.csv",
            "timestamp_field": "event_timestamp",
            "schema": [
              {"name": "customer_id", "type": "int64"},
              {"name": "event_timestamp", "type": "timestamp"},
              {"name": "amount", "type": "float64"},
              {"name": "channel", "type": "string"}
            ]
          },
          "offline": true,
          "online": true,
          "ttl": "30d",
          "materialization_schedule": "0 2 * * *",
          "tags": {"team": "risk"}
        }
        """;

    private static readonly string[] Features =
    [
        """
        {"feature_set_id": "customer_transactions", "name": "amount", "data_type": "float64",
         "description": "The last transaction's amount", "validation_rules": {"min": 0, "max": 100000}, "default_value": 0}
        """,
        """
        {"feature_set_id": "customer_transactions", "name": "channel", "data_type": "string", "allowed_values": ["web", "store"]}
        """,
        """
        {"feature_set_id": "customer_transactions", "name": "amount_cents", "data_type": "float64", "transformation": "amount * 100"}
        """,
        """
        {"feature_set_id": "customer_transactions", "name": "spend_30d", "data_type": "float64",
         "transformation": {"type": "aggregation", "function": "sum", "column": "amount", "window": "30d"}}
        """,
    ];

    private Task<Answer> PostAsync(string path, string json) =>
        SendAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));

    private async Task<Answer> SendAsync(string path, HttpContent content)
    {
        using (content) return await Answer.ReadAsync(await host.Admin.PostAsync(path, content, Ct));
    }

    [Fact]
    public async Task A_feature_set_goes_from_its_declaration_to_online_and_historical_serving()
    {
        var created = await PostAsync("api/v1/feature-sets", FeatureSet);
        Assert.True(created.Status == 201, created.Text);
        Assert.Equal(("customer_transactions", "draft"), (created.Body.GetProperty("id").GetString(),
            created.Body.GetProperty("status").GetString()));
        Assert.Equal("0 2 * * *", created.Body.GetProperty("materialization_schedule").GetString());
        Assert.Equal(409, (await PostAsync("api/v1/feature-sets", FeatureSet)).Status);

        var now = DateTimeOffset.UtcNow;
        var csv = $"customer_id,event_timestamp,amount,channel\n1,{now.AddDays(-3):O},20.5,web\n1,{now.AddHours(-2):O},42.25,store\n" +
                  $"2,{now.AddDays(-1):O},7,web\n";
        using (var file = new StringContent(csv, Encoding.UTF8, "text/csv"))
        {
            var uploaded = await Answer.ReadAsync(await host.Admin.PutAsync("api/v1/data-sources/transactions/file", file, Ct));
            Assert.True(uploaded.Status == 200, uploaded.Text);
        }

        var versions = new List<int>();
        foreach (var feature in Features)
        {
            var added = await PostAsync("api/v1/features", feature);
            Assert.True(added.Status == 201, added.Text);
            versions.Add(added.Body.GetProperty("feature_view_version").GetInt32());
        }
        Assert.Equal([1, 2, 3, 4], versions);
        var set = await host.Admin.GetForJsonAsync("api/v1/feature-sets/customer_transactions", Ct);
        Assert.Equal(("active", 4, 4), (set.GetProperty("status").GetString(), set.GetProperty("feature_view_version").GetInt32(),
            set.GetProperty("features").GetArrayLength()));
        var view = await host.Admin.GetForJsonAsync("api/v1/feature-views/customer_transactions", Ct);
        Assert.Equal("0 2 * * *", view.GetProperty("schedule").GetString());

        var start = now.AddDays(-40).ToString("yyyy-MM-dd");
        var materialize = await PostAsync("api/v1/feature-sets/customer_transactions/materialize",
            $$"""{"start_date": "{{start}}", "end_date": "{{now.AddDays(1):yyyy-MM-dd}}"}""");
        Assert.True(materialize.Status == 202, materialize.Text);
        await WaitForJobAsync(materialize.Body.GetProperty("location").GetString()!);

        var online = await PostAsync("api/v1/serving/online", """
            {"features": ["customer_transactions:amount", "customer_transactions:amount_cents", "customer_transactions:channel",
                          "customer_transactions:spend_30d"],
             "entities": [{"customer_id": 1}, {"customer_id": 999}]}
            """);
        Assert.True(online.Status == 200, online.Text);
        var first = online.Body.GetProperty("features")[0];
        Assert.Equal(1, first.GetProperty("entity").GetProperty("customer_id").GetInt32());
        Assert.Equal((42.25, 4225.0, "store"), (first.GetProperty("values").GetProperty("amount").GetDouble(),
            first.GetProperty("values").GetProperty("amount_cents").GetDouble(),
            first.GetProperty("values").GetProperty("channel").GetString()));
        Assert.Equal(62.75, first.GetProperty("values").GetProperty("spend_30d").GetDouble());
        Assert.Equal("NOT_FOUND", online.Body.GetProperty("features")[1].GetProperty("statuses").GetProperty("amount").GetString());
        Assert.True(online.Body.GetProperty("metadata").GetProperty("latency_ms").GetDouble() > 0);

        var historical = await PostAsync("api/v1/serving/historical", $$"""
            {"entity_df": {"columns": ["customer_id", "event_timestamp", "label"],
                           "data": [[1, "{{now.AddDays(-1):O}}", true], [2, "{{now:O}}", false]]},
             "features": ["customer_transactions:amount", "customer_transactions:amount_cents"]}
            """);
        Assert.True(historical.Status == 200, historical.Text);
        var columns = historical.Body.GetProperty("columns").EnumerateArray().Select(c => c.GetString()).ToList();
        Assert.Equal(["customer_id", "event_timestamp", "label", "amount", "amount_cents"], columns);
        var rows = historical.Body.GetProperty("data");
        Assert.Equal((20.5, 7.0), (rows[0][3].GetDouble(), rows[1][3].GetDouble())); // as of each row's time, not the latest
        Assert.Equal(2, historical.Body.GetProperty("metadata").GetProperty("rows").GetInt32());
    }

    [Fact]
    public async Task Refusals_name_the_body_fields_and_change_nothing()
    {
        var badCron = await PostAsync("api/v1/feature-sets", FeatureSet.Replace("customer_transactions", "refused_set")
            .Replace("0 2 * * *", "every night"));
        Assert.Equal(400, badCron.Status);
        Assert.Contains("materialization_schedule", badCron.ErrorFields);
        Assert.Equal(404, (await host.SendAsync(HttpMethod.Get, "api/v1/feature-sets/refused_set", TestCredentials.AdminKey)).Status);
        var noSource = await PostAsync("api/v1/feature-sets", """{"name": "sourceless", "entities": ["customer"]}""");
        Assert.Contains("source", noSource.ErrorFields);
        var unknown = await PostAsync("api/v1/feature-sets", """{"name": "ghost_set", "entities": ["ghost"], "source": "nowhere"}""");
        Assert.Equal(["entities[0]", "source"], unknown.ErrorFields.Order());
        Assert.Equal(404, (await host.SendAsync(HttpMethod.Get, "api/v1/feature-sets/ghost_set", TestCredentials.AdminKey)).Status);

        var created = await PostAsync("api/v1/feature-sets", FeatureSet.Replace("customer_transactions", "checked_set")
            .Replace("\"transactions\"", "\"checked_transactions\""));
        Assert.True(created.Status == 201, created.Text);
        var badType = await PostAsync("api/v1/features",
            """{"feature_set_id": "checked_set", "name": "amount", "data_type": "currency"}""");
        Assert.Equal(400, badType.Status);
        Assert.Equal(["data_type"], badType.ErrorFields);
        var missingSet = await PostAsync("api/v1/features", """{"feature_set_id": "nowhere", "name": "amount", "data_type": "float64"}""");
        Assert.Equal(404, missingSet.Status);
        Assert.Equal(["feature_set_id"], missingSet.ErrorFields);
        var noType = await PostAsync("api/v1/features", """{"feature_set_id": "checked_set", "name": "amount"}""");
        Assert.Equal(["data_type"], noType.ErrorFields);
        var draft = await host.Admin.GetForJsonAsync("api/v1/feature-sets/checked_set", Ct);
        Assert.Equal(("draft", 0), (draft.GetProperty("status").GetString(), draft.GetProperty("features").GetArrayLength()));

        var early = await PostAsync("api/v1/feature-sets/checked_set/materialize",
            """{"start_date": "2024-01-01", "end_date": "2024-01-31"}""");
        Assert.Equal(409, early.Status); // no features yet
        var backwards = await PostAsync("api/v1/feature-sets/checked_set/materialize",
            """{"start_date": "2024-02-01", "end_date": "2024-01-31"}""");
        Assert.Equal(["end_date"], backwards.ErrorFields);

        var ragged = await PostAsync("api/v1/serving/online",
            """{"features": ["customer_transactions:amount"], "entities": [{"customer_id": 1}, {"client": 2}]}""");
        Assert.Equal(400, ragged.Status);
        Assert.Contains(ragged.ErrorFields, f => f.StartsWith("entities", StringComparison.Ordinal));
        var short_ = await PostAsync("api/v1/serving/historical",
            """
            {"entity_df": {"columns": ["customer_id", "event_timestamp"], "data": [[1]]}, "features": ["customer_transactions:amount"]}
            """);
        Assert.Equal(400, short_.Status);
        Assert.Contains(short_.ErrorFields, f => f.StartsWith("entity_df.data", StringComparison.Ordinal));
        var both = await PostAsync("api/v1/serving/historical", """
            {"entity_df": {"columns": ["customer_id", "event_timestamp"], "data": [[1, "2024-01-01T00:00:00Z"]]},
             "features": ["customer_transactions:amount"], "feature_service": "scoring"}
            """);
        Assert.Equal(400, both.Status);
        Assert.Contains(both.ErrorFields, f => f is "features" or "feature_service");
    }

    private async Task WaitForJobAsync(string location)
    {
        var deadline = DateTime.UtcNow.AddMinutes(3);
        while (true)
        {
            var job = await host.Admin.GetForJsonAsync(location.TrimStart('/'), Ct);
            var status = job.GetProperty("status").GetString();
            if (status == "succeeded") return;
            Assert.True(status is "pending" or "running" && DateTime.UtcNow < deadline, job.ToString());
            await Task.Delay(250, Ct);
        }
    }
}
