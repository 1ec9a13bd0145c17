using FeatureStore.Client;
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
        Assert.IsType<double>(features["monthly_charges"]);
        Assert.Contains("days_since_signup", features.Keys); // on-demand, from the request field as_of
        var prediction = await client.PredictChurnAsync(1L, cancel);
        Assert.InRange(prediction.Probability, 0, 1);
        Assert.Equal(host.Model.GetProperty("promoted").GetInt32(), prediction.ModelVersion);
        var models = await client.ListChurnModelsAsync(cancel);
        Assert.Equal(prediction.ModelVersion, models.Promoted);
    }

    private sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
