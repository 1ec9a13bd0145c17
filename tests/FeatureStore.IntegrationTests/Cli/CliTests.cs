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
        var jobs = await RunAsync("jobs", "-o", "json");
        Assert.True(jobs.ExitCode == 0, jobs.ToString());
        Assert.Equal(["last_purchase", "spending"], JsonDocument.Parse(jobs.Output).RootElement.EnumerateArray()
            .Select(j => j.GetProperty("view").GetString()).Order());

        // One file per view: nothing to compact. The same window again makes a second (the first now hidden): both rewritten as one.
        var nothing = await RunAsync("compact", "spending");
        Assert.True(nothing.ExitCode == 1, nothing.ToString());
        Assert.Contains("nothing to compact", nothing.Error);
        Assert.Equal(0, (await RunAsync("materialize", "spending", "--start", start)).ExitCode);
        var compact = await RunAsync("compact", "spending", "-o", "json");
        Assert.True(compact.ExitCode == 0, compact.ToString());
        var compaction = Assert.Single(JsonDocument.Parse(compact.Output).RootElement.EnumerateArray());
        Assert.Equal(("succeeded", 2, 1), (compaction.GetProperty("status").GetString(), compaction.GetProperty("filesIn").GetInt32(),
            compaction.GetProperty("filesOut").GetInt32()));

        var online = await RunAsync("online", "-e", "customer_id=1,2,999", "-s", "scoring", "-o", "json");
        Assert.True(online.ExitCode == 0, online.ToString());
        var rows = JsonDocument.Parse(online.Output).RootElement;
        Assert.Equal(3, rows.GetArrayLength());
        Assert.Equal("PRESENT", rows[0].GetProperty("statuses").GetProperty("spend_7d").GetString());
        Assert.Equal("NOT_FOUND", rows[2].GetProperty("statuses").GetProperty("category").GetString());
        await File.WriteAllTextAsync(Path.Combine(_directory, "ids.json"), """[{"customer_id": 2}, {"customer_id": 1}]""",
            TestContext.Current.CancellationToken);
        var fromFile = await RunAsync("online", "--entities", "ids.json", "-s", "scoring", "-o", "json");
        Assert.True(fromFile.ExitCode == 0, fromFile.ToString());
        var fileRows = JsonDocument.Parse(fromFile.Output).RootElement;
        Assert.Equal([2, 1], fileRows.EnumerateArray().Select(r => r.GetProperty("entity").GetProperty("customer_id").GetInt32()));
        Assert.Equal(2, (await RunAsync("online", "--entities", "missing.csv", "-s", "scoring")).ExitCode);

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

    [Fact]
    public async Task Discovery_datasets_and_keys_answer_for_people_and_for_scripts()
    {
        var scope = new[] { "--endpoint", host.Host.BaseAddress.ToString(), "--project", SecuredSampleHost.Project };
        Task<CliRun> Run(params string[] args) => RunAsync([.. args, .. scope]);
        JsonElement Json(CliRun run)
        {
            Assert.True(run.ExitCode == 0, run.ToString());
            return JsonDocument.Parse(run.Output).RootElement;
        }

        var views = Json(await Run("list", "views", "-o", "json")).EnumerateArray().Select(v => v.GetProperty("name").GetString());
        Assert.Contains("customer_profile", views);
        var features = Json(await Run("list", "features", "-q", "monthly", "-o", "json"));
        Assert.Contains(features.EnumerateArray(), f => f.GetProperty("ref").GetString() == "customer_profile:monthly_charges");
        var table = await Run("list", "services");
        Assert.True(table.ExitCode == 0, table.ToString());
        Assert.True(table.Output.Contains("churn_prediction_online"), table.Output);
        Assert.Equal(2, (await Run("list", "features", "--versions")).ExitCode);
        Assert.Equal(2, (await Run("list", "spaceships")).ExitCode);

        var described = Json(await Run("describe", "view", "customer_profile", "--version", "1", "-o", "json"));
        Assert.Equal((1, "customer_profile"), (described.GetProperty("version").GetInt32(), described.GetProperty("name").GetString()));
        var byRoute = Json(await Run("describe", "feature-views", "customer_profile", "--version", "1", "-o", "json")); // the API's word
        Assert.Equal(described.GetRawText(), byRoute.GetRawText());
        var missing = await Run("describe", "view", "nowhere");
        Assert.Equal(1, missing.ExitCode);
        Assert.StartsWith("error: 404", missing.Error);

        var lineage = await Run("lineage", "customer_profile:monthly_charges");
        Assert.True(lineage.ExitCode == 0, lineage.ToString());
        Assert.Contains("customers", lineage.Output); // the source it is read from
        Assert.Contains("churn_prediction_online", lineage.Output);

        var datasets = Json(await Run("datasets", "list", "-o", "json"));
        var name = datasets[0].GetProperty("name").GetString()!;
        var shown = await Run("datasets", "show", name);
        Assert.True(shown.ExitCode == 0, shown.ToString());
        Assert.Contains("customer_activity@v", shown.Output);
        var download = await Run("datasets", "download", name, "--out", "set.parquet");
        Assert.True(download.ExitCode == 0, download.ToString());
        Assert.Equal("PAR1"u8.ToArray(), (await File.ReadAllBytesAsync(Path.Combine(_directory, "set.parquet"),
            TestContext.Current.CancellationToken))[..4]);

        var created = Json(await Run("keys", "create", "--name", "cli-reader", "--owner", "cli tests", "--projects",
            SecuredSampleHost.Project, "--roles", "reader", "-o", "json"));
        var (id, secret) = (created.GetProperty("key").GetProperty("id").GetString()!, created.GetProperty("secret").GetString()!);
        Assert.Contains(Json(await Run("keys", "list", "-o", "json")).EnumerateArray(), k => k.GetProperty("id").GetString() == id);
        var asReader = new Dictionary<string, string> { ["FEATURESTORE_API_KEY"] = secret };
        var readerSets = await CliProcess.RunAsync(_directory, asReader, ["datasets", "list", "-o", "json", .. scope]);
        Assert.Equal(0, Json(readerSets).GetArrayLength()); // every training set holds the growth team's protected features
        var notAdmin = await CliProcess.RunAsync(_directory, asReader, ["keys", "list", .. scope]);
        Assert.Equal(1, notAdmin.ExitCode);
        Assert.StartsWith("error: 403", notAdmin.Error);
        Assert.True((await Run("keys", "revoke", id)).ExitCode == 0);
        var revoked = await CliProcess.RunAsync(_directory, asReader, ["list", "views", .. scope]);
        Assert.Equal(1, revoked.ExitCode);
        Assert.StartsWith("error: 401", revoked.Error);
        var noOwner = await Run("keys", "create", "--name", "x", "--projects", "*", "--roles", "reader");
        Assert.Equal(1, noOwner.ExitCode);
        Assert.Contains("owner", noOwner.Error, StringComparison.OrdinalIgnoreCase);
    }
}
