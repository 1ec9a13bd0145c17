using System.Net.Http.Json;
using System.Reflection;
using System.Text.Json;

namespace FeatureStore.Samples.Churn;

/// <summary>What the sample run does: how many customers, from which seed, ending when, in which project; with
/// <paramref name="ShiftDays"/> above 0 customers engage less and complain more in that many last days (a drift for monitoring to
/// find, and a model trained on older behaviour to decay).</summary>
public sealed record ChurnSampleOptions(int Customers, int Seed, DateTime End, string Project = "churn", bool Train = true,
    int ShiftDays = 0);

/// <summary>What the sample run left: the model version it trained and promoted, and that version's held-out AUC.</summary>
public sealed record ChurnSampleResult(int? ModelVersion, double? Auc, TimeSpan Duration);

/// <summary>
/// The churn story from raw data to a promoted model, through the product's own APIs as a user would walk it:
/// generate and score the raw tables, upload them as the sources, apply the sample feature repository
/// (samples/feature_repo.yaml, embedded as shipped), materialize every view over the whole history, then train
/// and promote the churn model. Each step waits for the one before; a failed step throws with the service's answer.
/// </summary>
public sealed class ChurnSampleRun(HttpClient registry, HttpClient modelApi, Func<string, Stream, CancellationToken, Task> upload)
{
    public static readonly string[] Views = ["customer_profile", "customer_activity", "customer_recency", "support", "reviews"];

    public async Task<ChurnSampleResult> RunAsync(ChurnSampleOptions options, CancellationToken cancellationToken)
    {
        var started = DateTime.UtcNow;
        var directory = Path.Combine(Path.GetTempPath(), $"churn-sample-{Guid.NewGuid():N}");
        try
        {
            var shift = options.ShiftDays > 0 ? new BehaviourShift(options.End.AddDays(-options.ShiftDays)) : null;
            var data = ChurnDataGenerator.Generate(new ChurnDataOptions(options.Customers, options.Seed, options.End, Shift: shift));
            var files = await ChurnSampleFiles.WriteAsync(data, options.Seed, directory, cancellationToken);
            foreach (var (name, path) in files)
            {
                await using var content = File.OpenRead(path);
                await upload(ChurnSampleFiles.Key(options.Project, name), content, cancellationToken);
            }
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }

        using (var apply = new StringContent(Repository(options.Project), System.Text.Encoding.UTF8, "application/yaml"))
            await ExpectAsync(await registry.PostAsync("api/v1/apply", apply, cancellationToken),
                "apply the sample repository", cancellationToken);
        var end = new DateTimeOffset(options.End, TimeSpan.Zero);
        foreach (var view in Views)
        {
            var accepted = await ExpectAsync(
                await registry.PostAsJsonAsync($"api/v1/feature-views/{view}/materialize?project={options.Project}",
                new { start = end.AddDays(-1000), end }, cancellationToken), $"materialize {view}", cancellationToken);
            await WaitAsync(registry, accepted.GetProperty("location").GetString()!, "succeeded",
                $"materialization of {view}", cancellationToken);
        }
        if (!options.Train) return new ChurnSampleResult(null, null, DateTime.UtcNow - started);

        var job = await ExpectAsync(await modelApi.PostAsJsonAsync("api/v1/models/churn/train",
            new { project = options.Project, promote = true, seed = options.Seed }, cancellationToken),
            "start training", cancellationToken);
        var done = await WaitAsync(modelApi, job.GetProperty("location").GetString()!, "succeeded", "training", cancellationToken);
        var version = done.GetProperty("version").GetInt32();
        var model = await ExpectAsync(await modelApi.GetAsync($"api/v1/models/churn/versions/{version}", cancellationToken),
            "read the model", cancellationToken);
        return new ChurnSampleResult(version, model.GetProperty("metrics").GetProperty("auc").GetDouble(), DateTime.UtcNow - started);
    }

    /// <summary>The sample feature repository as shipped, moved to <paramref name="project"/> (its name and its sources' prefix).</summary>
    public static string Repository(string project)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("feature_repo.yaml")!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd().Replace("project: churn ", $"project: {project} ").Replace("sources/churn/", $"sources/{project}/");
    }

    private static async Task<JsonElement> WaitAsync(HttpClient client, string location, string success, string what,
        CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow.AddMinutes(10);
        while (true)
        {
            var job = await ExpectAsync(await client.GetAsync(location.TrimStart('/'), cancellationToken),
                $"read {what}", cancellationToken);
            var status = job.GetProperty("status").GetString();
            if (status == success) return job;
            if (status is "failed" or "cancelled")
                throw new InvalidOperationException($"{what} {status}: " +
                    $"{(job.TryGetProperty("error", out var error) ? error.GetString() : "")}");
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"{what} still {status} after 10 minutes");
            await Task.Delay(200, cancellationToken);
        }
    }

    private static async Task<JsonElement> ExpectAsync(HttpResponseMessage response, string what, CancellationToken cancellationToken)
    {
        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"could not {what}: {(int)response.StatusCode} {text}");
            using var document = JsonDocument.Parse(text);
            return document.RootElement.Clone();
        }
    }
}
