using FeatureStore.Client;
using FeatureStore.Contracts;
using FeatureStore.Domain;
using FeatureStore.IntegrationTests.Security;
using FeatureStore.Samples.Churn;

namespace FeatureStore.IntegrationTests.Sdk;

/// <summary>
/// The SDK against the standalone host (every API on one address, the churn sample trained and promoted): a repository planned and
/// applied, a source uploaded, a view materialized and followed with progress, online and historical features read, typed; the
/// Feast guide's two calls; a prediction; a refusal as an exception naming its field.
/// </summary>
public sealed class SdkTests(SecuredSampleHost host) : IClassFixture<SecuredSampleHost>
{
    private FeatureStoreClient Client(string project) => new(new FeatureStoreClientOptions
    {
        Endpoint = host.Host.BaseAddress, ApiKey = TestCredentials.AdminKey, Project = project,
    });

    [Fact]
    public async Task A_repository_goes_from_plan_to_online_and_historical_features()
    {
        var cancel = TestContext.Current.CancellationToken;
        using var client = Client("sdk");
        var yaml = """
            project: sdk
            entities: [{name: customer, joinKeys: [{name: customer_id, type: int64}]}]
            sources:
              - name: spend
                path: sources/sdk/spend.csv
                timestampField: event_timestamp
                schema: [{name: customer_id, type: int64}, {name: event_timestamp, type: timestamp}, {name: amount, type: float64}]
            featureViews:
              - {name: spend, entities: [customer], source: spend, ttl: 30d, schema: [{name: amount, type: float64}]}
            featureServices:
              - {name: scoring, features: [spend]}
            """;
        var plan = await client.PlanAsync(yaml, cancellationToken: cancel);
        Assert.Contains(plan.Changes, c => c.Name == "spend" && c.Action == "create");
        await Assert.ThrowsAsync<FeatureStoreException>(() => client.GetJobAsync(Guid.NewGuid(), cancel)); // nothing was applied
        await client.ApplyAsync(yaml, cancellationToken: cancel);
        Assert.Equal(["spend"], (await client.ListFeatureViewsAsync(cancellationToken: cancel)).Select(v => v.Name));
        var scoring = await client.GetObjectAsync<FeatureServiceDefinition>("scoring", cancellationToken: cancel);
        Assert.Equal(["spend:amount"], scoring.Features.Select(f => f.Ref.ToString()));
        Assert.Contains(await client.SearchFeaturesAsync("amount", cancellationToken: cancel), hit => hit.Ref == "spend:amount");
        var lineage = await client.GetLineageAsync("spend:amount", cancellationToken: cancel);
        Assert.Contains(lineage.Nodes, node => node.Kind == "featureService" && node.Name == "scoring");
        Assert.Equal(404, (await Assert.ThrowsAsync<FeatureStoreException>(() =>
            client.GetObjectAsync<FeatureViewDefinition>("nowhere", cancellationToken: cancel))).Status);

        var now = DateTimeOffset.UtcNow;
        using var csv = new ScratchFile("customer_id,event_timestamp,amount\n" +
            $"1,{now.AddHours(-2):O},10.5\n1,{now.AddHours(-1):O},12.25\n2,{now.AddHours(-1):O},3\n");
        var uploaded = await client.UploadSourceFileAsync("spend", csv.Path, cancellationToken: cancel);
        Assert.Equal(3, uploaded.Rows);

        // The whole TTL before the rows' times: a training set may only read what the offline history covers.
        var accepted = await client.MaterializeAsync("spend", now.AddDays(-40), now, cancellationToken: cancel);
        var reports = new List<JobProgress>();
        var job = await client.WaitForJobAsync(accepted.JobId, new SynchronousProgress<JobProgress>(reports.Add), cancel);
        Assert.Equal(JobStatus.Succeeded, job.Status);
        Assert.Equal(JobStatus.Succeeded, reports[^1].Status);

        var online = await client.GetOnlineFeaturesAsync(new Dictionary<string, IReadOnlyList<object?>> { ["customer_id"] = [1L, 2L, 3L] },
            featureService: "scoring", cancellationToken: cancel);
        Assert.Equal((12.25, 3.0), (online.Value<double>(0, "amount"), online.Value<double>(1, "amount")));
        Assert.Equal([FeatureStatus.Present, FeatureStatus.Present, FeatureStatus.NotFound],
            Enumerable.Range(0, 3).Select(r => online.Status(r, "amount")));
        Assert.Equal(now.AddHours(-1).ToUnixTimeMilliseconds(), online.EventTime(0, "amount")!.Value.ToUnixTimeMilliseconds());

        IReadOnlyDictionary<string, object?>[] rows =
        [
            new Dictionary<string, object?> { ["customer_id"] = 1L, ["event_timestamp"] = now.AddMinutes(-90), ["label"] = true },
        ];
        var training = await client.GetTrainingFeaturesAsync(rows, "scoring", saveAs: "sdk_training", cancellationToken: cancel);
        Assert.Equal((10.5, true), ((double)training[0]["amount"]!, (bool)training[0]["label"]!));
        var frame = await client.GetHistoricalFeaturesDataFrameAsync(rows, featureService: "scoring", cancellationToken: cancel);
        Assert.Equal((10.5, true), ((double)frame.Columns["amount"][0], (bool)frame.Columns["label"][0]));
        Assert.Equal(typeof(DateTime), frame.Columns["event_timestamp"].DataType);
        var streamed = await client.StreamHistoricalFeaturesAsync(rows, featureService: "scoring", cancellationToken: cancel)
            .ToListAsync(cancel);
        Assert.Equal(10.5, (double)Assert.Single(streamed)["amount"]!);

        var dataset = Assert.Single(await client.ListDatasetsAsync(cancellationToken: cancel));
        Assert.Equal(("sdk_training", 1L, "scoring"), (dataset.Name, dataset.Rows, dataset.FeatureService));
        Assert.Equal(["spend@v1:amount"], (await client.GetDatasetAsync("sdk_training", cancellationToken: cancel)).Features);
        using (var data = new MemoryStream())
        {
            await client.DownloadDatasetAsync("sdk_training", data, cancellationToken: cancel);
            Assert.Equal("PAR1"u8.ToArray(), data.ToArray()[..4]);
        }
        Assert.Equal(404, (await Assert.ThrowsAsync<FeatureStoreException>(() =>
            client.GetDatasetAsync("no_such_set", cancellationToken: cancel))).Status);

        using (var entities = new MemoryStream(System.Text.Encoding.UTF8.GetBytes($"customer_id,event_timestamp\n2,{now:O}\n")))
        using (var answer = new MemoryStream())
        {
            await client.WriteHistoricalFeaturesAsync(entities, TableFormat.Csv, answer, TableFormat.Csv, ["spend:amount"],
                cancellationToken: cancel);
            var lines = System.Text.Encoding.UTF8.GetString(answer.ToArray()).Trim().Split('\n');
            Assert.Equal(2, lines.Length);
            Assert.EndsWith(",3.0", lines[1].TrimEnd('\r'));
        }
        var parquet = Path.Combine(Path.GetTempPath(), $"fs-sdk-{Guid.NewGuid():N}.parquet");
        try
        {
            await client.WriteHistoricalFeaturesAsync(rows, parquet, ["spend:amount"], cancellationToken: cancel);
            Assert.Equal("PAR1"u8.ToArray(), File.ReadAllBytes(parquet)[..4]);
        }
        finally { File.Delete(parquet); }

        var refused = await Assert.ThrowsAsync<FeatureStoreException>(() =>
            client.GetOnlineFeaturesAsync(new Dictionary<string, IReadOnlyList<object?>> { ["customer_id"] = [1L] }, ["spend:colour"],
                cancellationToken: cancel));
        Assert.Equal(400, refused.Status);
        Assert.Contains(refused.Fields, f => f.Name.StartsWith("features", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_feast_guide_calls_and_a_prediction_work_on_the_churn_sample()
    {
        var cancel = TestContext.Current.CancellationToken;
        using var client = Client(SecuredSampleHost.Project);
        client.Options.PredictionFeatureService = "churn_prediction_online";
        var features = await client.GetFeaturesForPredictionAsync(1L,
            requestData: new Dictionary<string, object?> { ["as_of"] = DateTimeOffset.UtcNow }, cancellationToken: cancel);
        Assert.True(features["monthly_charges"] is double or long, $"{features["monthly_charges"]}"); // JSON numbers: whole ones as long
        Assert.Contains("days_since_signup", features.Keys); // on-demand, from the request field as_of
        var prediction = await client.PredictChurnAsync(1L, cancel);
        Assert.InRange(prediction.Probability, 0, 1);
        Assert.Equal(host.Model.GetProperty("promoted").GetInt32(), prediction.ModelVersion);
        var models = await client.ListChurnModelsAsync(cancel);
        Assert.Equal(prediction.ModelVersion, models.Promoted);
    }

    [Fact]
    public async Task Pushed_rows_are_served_and_an_admin_makes_lists_and_revokes_keys()
    {
        var cancel = TestContext.Current.CancellationToken;
        using var client = Client("sdk_push");
        await client.ApplyAsync("""
            project: sdk_push
            entities: [{name: customer, joinKeys: [{name: customer_id, type: int64}]}]
            sources:
              - name: clicks
                path: sources/sdk_push/clicks.csv
                timestampField: event_timestamp
                schema: [{name: customer_id, type: int64}, {name: event_timestamp, type: timestamp}, {name: clicks, type: int64}]
              - {name: clicks_push, kind: push, batchSource: clicks}
            featureViews:
              - {name: live_clicks, entities: [customer], source: clicks_push, ttl: 1d, schema: [{name: clicks, type: int64}]}
            """, cancellationToken: cancel);
        var now = DateTimeOffset.UtcNow;
        var pushed = await client.PushAsync("clicks_push", [
            new Dictionary<string, object?> { ["customer_id"] = 7L, ["event_timestamp"] = now, ["clicks"] = 41L },
            new Dictionary<string, object?> { ["customer_id"] = 7L, ["event_timestamp"] = now.AddMinutes(-5), ["clicks"] = 3L },
        ], cancellationToken: cancel);
        Assert.Equal(2, pushed.Rows);
        var online = await client.GetOnlineFeaturesAsync(new Dictionary<string, IReadOnlyList<object?>> { ["customer_id"] = [7L] },
            ["live_clicks:clicks"], cancellationToken: cancel);
        Assert.Equal(41L, online.Value<long>(0, "clicks")); // the older row did not replace the newer
        var refused = await Assert.ThrowsAsync<FeatureStoreException>(() => client.PushAsync("clicks_push",
            [new Dictionary<string, object?> { ["customer_id"] = 7L, ["event_timestamp"] = now, ["clicks"] = "many" }],
            cancellationToken: cancel));
        Assert.Equal(400, refused.Status);

        var created = await client.CreateApiKeyAsync(new CreateApiKeyRequest
        {
            Name = "sdk-reader", Owner = "sdk tests", Projects = ["sdk_push"], Roles = ["reader"],
        }, cancel);
        Assert.StartsWith($"fsk_{created.Key.Id}_", created.Secret, StringComparison.Ordinal);
        Assert.Contains(await client.ListApiKeysAsync(cancel), key => key.Id == created.Key.Id && key.RevokedAt is null);
        using (var reader = new FeatureStoreClient(new FeatureStoreClientOptions
        { Endpoint = host.Host.BaseAddress, ApiKey = created.Secret, Project = "sdk_push" }))
        {
            Assert.Equal(["live_clicks"], (await reader.ListFeatureViewsAsync(cancellationToken: cancel)).Select(v => v.Name));
            Assert.Equal(403, (await Assert.ThrowsAsync<FeatureStoreException>(() => reader.ListApiKeysAsync(cancel))).Status);
            Assert.NotNull((await client.RevokeApiKeyAsync(created.Key.Id, cancel)).RevokedAt);
            Assert.Equal(401, (await Assert.ThrowsAsync<FeatureStoreException>(() =>
                reader.ListFeatureViewsAsync(cancellationToken: cancel))).Status);
        }
        Assert.Equal(409, (await Assert.ThrowsAsync<FeatureStoreException>(() => client.RevokeApiKeyAsync(created.Key.Id, cancel)))
            .Status);
        var invalid = await Assert.ThrowsAsync<FeatureStoreException>(() => client.CreateApiKeyAsync(new CreateApiKeyRequest
        { Name = "no-owner", Projects = ["*"], Roles = ["reader"] }, cancel));
        Assert.Contains(invalid.Fields, f => f.Name.Equals("owner", StringComparison.OrdinalIgnoreCase));
    }

    private sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
