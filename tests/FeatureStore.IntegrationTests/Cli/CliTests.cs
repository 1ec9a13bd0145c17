using System.Text.Json;
using FeatureStore.IntegrationTests.Security;

namespace FeatureStore.IntegrationTests.Cli;

/// <summary>
/// The <c>featurestore</c> tool run as a process against the standalone host (the churn sample trained and promoted): a new
/// repository from <c>init</c> applied, its sample data uploaded, materialized with the jobs followed, read online and as a
/// training file, a prediction; and how refusals, bad command lines and a missing configuration exit.
/// </summary>
public sealed class CliTests(SecuredSampleHost host) : IClassFixture<SecuredSampleHost>, IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("fs-cli-").FullName;

    private Dictionary<string, string> Environment => new() { ["FEATURESTORE_API_KEY"] = TestCredentials.AdminKey };

    private Task<CliRun> RunAsync(params string[] args) => CliProcess.RunAsync(_directory, Environment, args);

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task A_new_repository_goes_from_init_to_online_and_training_features()
    {
        var init = await RunAsync("init", "--project", "cli", "--endpoint", host.Host.BaseAddress.ToString());
        Assert.True(init.ExitCode == 0, init.ToString());
        Assert.True(File.Exists(Path.Combine(_directory, "featurestore.yaml")), init.ToString());
        var again = await RunAsync("init", "--project", "cli");
        Assert.Equal(2, again.ExitCode); // it does not overwrite
        Assert.Contains("--force", again.Error);

        var plan = await RunAsync("plan");
        Assert.True(plan.ExitCode == 0, plan.ToString());
        Assert.Contains("nothing was changed", plan.Output);
        var apply = await RunAsync("apply", "--output", "json");
        Assert.True(apply.ExitCode == 0, apply.ToString());
        Assert.True(JsonDocument.Parse(apply.Output).RootElement.GetProperty("applied").GetBoolean(), apply.ToString());

        var upload = await RunAsync("upload", "transactions", Path.Combine("data", "transactions.csv"));
        Assert.True(upload.ExitCode == 0, upload.ToString());
        Assert.Contains("160", upload.Output);

        var start = DateTimeOffset.UtcNow.AddDays(-40).ToString("O");
        var materialize = await RunAsync("materialize", "spending", "last_purchase", "--start", start);
        Assert.True(materialize.ExitCode == 0, materialize.ToString());
        Assert.Equal(2, materialize.Output.Split("succeeded").Length - 1);

        var online = await RunAsync("online", "-e", "customer_id=1,2,999", "-s", "scoring", "-o", "json");
        Assert.True(online.ExitCode == 0, online.ToString());
        var rows = JsonDocument.Parse(online.Output).RootElement;
        Assert.Equal(3, rows.GetArrayLength());
        Assert.Equal("PRESENT", rows[0].GetProperty("statuses").GetProperty("spend_7d").GetString());
        Assert.Equal("NOT_FOUND", rows[2].GetProperty("statuses").GetProperty("category").GetString());

        var (day, twoDays) = (DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(-2));
        await File.WriteAllTextAsync(Path.Combine(_directory, "rows.csv"),
            $"customer_id,event_timestamp,label\n1,{day:O},true\n2,{twoDays:O},false\n", TestContext.Current.CancellationToken);
        var historical = await RunAsync("historical", "--entities", "rows.csv", "-s", "scoring", "--out", "training.csv");
        Assert.True(historical.ExitCode == 0, historical.ToString());
        var training = await File.ReadAllLinesAsync(Path.Combine(_directory, "training.csv"), TestContext.Current.CancellationToken);
        Assert.Equal(3, training.Length);
        Assert.Contains("spend_7d", training[0]);
    }

    [Fact]
    public async Task A_prediction_and_every_kind_of_failure_exit_as_documented()
    {
        var address = host.Host.BaseAddress.ToString();
        var predict = await RunAsync("models", "predict", "1", "2", "--endpoint", address, "--project", SecuredSampleHost.Project);
        Assert.True(predict.ExitCode == 0, predict.ToString());
        Assert.Contains("probability", predict.Output);

        var refused = await RunAsync("online", "-e", "customer_id=1", "-f", "customer_activity:colour", "--endpoint", address,
            "--project", SecuredSampleHost.Project);
        Assert.Equal(1, refused.ExitCode);
        Assert.StartsWith("error: 400", refused.Error);
        Assert.Contains("features", refused.Error);

        Assert.Equal(2, (await RunAsync("materialize", "spending", "--endpoint", address)).ExitCode); // no --start
        Assert.Equal(2, (await RunAsync("teleport")).ExitCode);
        var unconfigured = await RunAsync("online", "-e", "customer_id=1", "-s", "scoring");
        Assert.Equal(2, unconfigured.ExitCode);
        Assert.Contains("featurestore init", unconfigured.Error);
        var nobody = await RunAsync("online", "-e", "customer_id=1", "-s", "scoring", "--endpoint", "http://127.0.0.1:9");
        Assert.Equal(4, nobody.ExitCode);
    }
}
