using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text.Json;
using System.Threading.Channels;
using FeatureStore.Contracts;
using FeatureStore.IntegrationTests.Messaging;
using FeatureStore.IntegrationTests.Registry;
using FeatureStore.Messaging;
using FeatureStore.Testing;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace FeatureStore.IntegrationTests.Monitoring;

/// <summary>Drift of what a feature service served against a training set: asked for with a reference, by default against the
/// promoted model's training set, and on the service's schedule (<see cref="FeatureDriftDetected"/> and a metric), with a
/// feature's own thresholds.</summary>
public sealed partial class MonitoringTests
{
    [Fact]
    public async Task Drift_flags_the_shifted_features_of_what_was_served_and_not_the_resampled_one()
    {
        await cluster.StartAsync();
        using var registry = cluster.Registry.CreateClient();
        using var featureApi = cluster.FeatureApi.CreateClient();
        var cancel = TestContext.Current.CancellationToken;
        const string project = "drift";
        const int customers = 2000;
        var key = $"sources/{project}/behaviour.parquet";
        var since = DateTime.UtcNow.AddMinutes(-1);
        var (before, after) = (since.AddHours(-3), since.AddHours(-1));
        var random = new Random(42);
        double Normal(double mean, double sd) =>
            mean + sd * Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
        string Segment(double a, double b) => random.NextDouble() switch { var u when u < a => "a", var u when u < a + b => "b", _ => "c" };
        // Before: the reference. After: x moved by 0.8 standard deviations, the segments' shares changed, y drawn again alike.
        var rows = Enumerable.Range(1, customers).SelectMany(c => new[]
        {
            new DriftRow { customer_id = c, event_timestamp = before, x = Normal(0, 1), y = Normal(5, 2), seg = Segment(0.5, 0.3) },
            new DriftRow { customer_id = c, event_timestamp = after, x = Normal(0.8, 1), y = Normal(5, 2), seg = Segment(0.2, 0.3) },
        }).ToList();
        await cluster.PutSourceAsync(key, await SourceData.ToParquetAsync(rows));
        var repository = Repositories.Customers(project,
            new TestView("behaviour", key, "1d", ("x", "float64"), ("y", "float64"), ("seg", "string")) { CreatedField = null });
        repository.FeatureServices =
        [
            new FeatureServiceDto { Name = "watch", Features = ["behaviour"], Logging = new FeatureLoggingDto { SampleRate = 1 } },
        ];
        await Repositories.ApplyAsync(registry, repository);
        await Materializations.MaterializeAsync(registry, project, "behaviour", since.AddDays(-2), since, cluster.Diagnostics);

        var asOf = before.AddMinutes(1).ToString("O");
        await featureApi.PostForJsonAsync("api/v1/historical-features", new
        {
            project, featureService = "watch", saveAs = "reference",
            entities = Enumerable.Range(1, customers).Select(c => new Dictionary<string, object>
            {
                ["customer_id"] = c, ["event_timestamp"] = asOf,
            }),
        }, cancel);
        for (var batch = 0; batch < customers / 100; batch++)
            await featureApi.PostForJsonAsync("api/v1/online-features", new
            {
                project, featureService = "watch",
                entities = new Dictionary<string, long[]>
                {
                    ["customer_id"] = Enumerable.Range(batch * 100 + 1, 100).Select(c => (long)c).ToArray(),
                },
            }, cancel);
        var window = $"project={project}&start={Uri.EscapeDataString(since.ToString("O"))}";
        await RetryAndErrorQueueTests.Eventually(async () =>
            (await registry.GetForJsonAsync($"api/v1/feature-services/watch/logs?{window}", cancel))
                .GetProperty("rows").GetInt64() == customers,
            "the served values to be logged", 60, cluster.Diagnostics);

        var drift = await featureApi.GetForJsonAsync($"api/v1/monitoring/drift?{window}&featureService=watch&reference=reference", cancel);
        var verdicts = drift.GetProperty("features").EnumerateArray()
            .ToDictionary(f => f.GetProperty("feature").GetString()!, f => f);
        Assert.Equal("drift", verdicts["behaviour:x"].GetProperty("verdict").GetString());
        Assert.True(verdicts["behaviour:x"].GetProperty("psi").GetDouble() >= 0.2);
        Assert.Equal("drift", verdicts["behaviour:seg"].GetProperty("verdict").GetString());
        Assert.Equal("categorical", verdicts["behaviour:seg"].GetProperty("kind").GetString());
        Assert.Equal("ok", verdicts["behaviour:y"].GetProperty("verdict").GetString()); // drawn again from the same distribution
        Assert.Equal(customers, verdicts["behaviour:y"].GetProperty("currentCount").GetInt64());
        Assert.Equal(["behaviour:seg", "behaviour:x"], drift.GetProperty("drifted").EnumerateArray().Select(d => d.GetString()).Order());

        var missing = await featureApi.GetAnswerAsync($"api/v1/monitoring/drift?{window}&featureService=watch&reference=nothing_here");
        Assert.Equal(400, missing.Status);
        Assert.Equal(["reference"], missing.ErrorFields);
        var none = await featureApi.GetAnswerAsync($"api/v1/monitoring/drift?{window}&featureService=watch");
        Assert.Equal(400, none.Status); // no promoted model uses the service yet
        Assert.Equal(["reference"], none.ErrorFields);

        // model-api announces a promotion (here the test does, on the same broker): its training set becomes the default reference.
        var alarms = new DriftAlarms();
        using var bus = await StartBusAsync(alarms, cancel);
        await bus.Services.GetRequiredService<IBus>().Publish(new ModelPromoted(project, "churn", 3, "reference", "watch", "watch",
            DateTimeOffset.UtcNow), cancel);
        await RetryAndErrorQueueTests.Eventually(async () =>
            (await registry.GetForJsonAsync($"api/v1/models/promoted?project={project}", cancel)).GetProperty("models")
                .GetArrayLength() == 1, "the registry to record the promotion", 30, cluster.Diagnostics);
        var byDefault = await featureApi.GetForJsonAsync($"api/v1/monitoring/drift?{window}&featureService=watch", cancel);
        Assert.Equal("reference", byDefault.GetProperty("reference").GetString());
        Assert.Equal(["behaviour:seg", "behaviour:x"],
            byDefault.GetProperty("drifted").EnumerateArray().Select(d => d.GetString()).Order());

        // A schedule: every 2 seconds, the last hour served; seg's own threshold is looser than its shift.
        repository.FeatureServices[0]!.Drift = new DriftMonitoringDto
        {
            Schedule = "*/2 * * * * *", Window = "1h",
            Features = new() { ["behaviour:seg"] = new DriftThresholdsDto { JensenShannon = 0.9 } },
        };
        await Repositories.ApplyAsync(registry, repository);
        var detected = await alarms.NextAsync(TimeSpan.FromSeconds(60));
        Assert.Equal((project, "watch", "reference"), (detected.Project, detected.FeatureService, detected.Reference));
        Assert.Equal(["behaviour:x"], detected.Drifted);
        Assert.Equal(TimeSpan.FromHours(1), detected.End - detected.Start);
        Assert.Equal("ok", detected.Report.Features.Single(f => f.Feature == "behaviour:seg").Verdict);
        await RetryAndErrorQueueTests.Eventually(async () =>
        {
            var (_, samples) = PrometheusText.Parse(await featureApi.GetStringAsync("metrics", cancel));
            return samples.Any(s => s.Name == "featurestore_feature_drift_detected_total" && s.Value >= 1
                                    && s.Labels["feature_service"] == "watch" && s.Labels["feature"] == "behaviour:x");
        }, "feature-api to count the drift it detected", 30, cluster.Diagnostics);
    }

    public sealed class DriftRow
    {
        public long customer_id { get; set; }
        public DateTime event_timestamp { get; set; }
        public double x { get; set; }
        public double y { get; set; }
        public string seg { get; set; } = "";
    }

    /// <summary>A bus on the cluster's broker, as another service would have: it publishes and hears drift alarms.</summary>
    private async Task<IHost> StartBusAsync(DriftAlarms alarms, CancellationToken cancel)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration["ConnectionStrings:messaging"] = cluster.Backends.MessagingConnectionString;
        builder.Services.AddSingleton(alarms);
        builder.AddMessaging(BusKind.RabbitMq, bus => bus.AddConsumer<DriftAlarmConsumer>());
        var host = builder.Build();
        await host.StartAsync(cancel);
        return host;
    }

    public sealed class DriftAlarms
    {
        private readonly Channel<FeatureDriftDetected> _heard = Channel.CreateUnbounded<FeatureDriftDetected>();

        public void Hear(FeatureDriftDetected alarm) => _heard.Writer.TryWrite(alarm);

        public async Task<FeatureDriftDetected> NextAsync(TimeSpan within)
        {
            using var timeout = new CancellationTokenSource(within);
            return await _heard.Reader.ReadAsync(timeout.Token);
        }
    }

    public sealed class DriftAlarmConsumer(DriftAlarms alarms) : IConsumer<FeatureDriftDetected>
    {
        public Task Consume(ConsumeContext<FeatureDriftDetected> context)
        {
            alarms.Hear(context.Message);
            return Task.CompletedTask;
        }
    }
}
