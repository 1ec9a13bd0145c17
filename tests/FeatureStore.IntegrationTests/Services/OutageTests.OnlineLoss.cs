using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;

namespace FeatureStore.IntegrationTests.Services;

public sealed partial class OutageTests
{
    /// <summary>
    /// Redis restarted empty (no persistence) is not an outage once it answers: reads succeed, with nothing found. feature-api
    /// must notice that the data is gone (the project's marker), say so on /health, and the restore call must refill it.
    /// </summary>
    [Fact]
    public async Task An_online_store_that_comes_back_empty_is_reported_and_restore_online_refills_it()
    {
        var backends = Own(await IsolatedBackends.CreateAsync());
        var redis = Own(await LocalRedis.StartAsync());
        var rig = await OutageRig.StartAsync(_resources, backends, environment =>
        {
            environment["ConnectionStrings__redis"] = redis.ConnectionString;
            environment["FeatureStore__OnlineWatch__Interval"] = "00:00:00.250";
        });
        Assert.Equal(["PRESENT", "PRESENT"], await StatusesAsync(rig));
        Assert.Equal("Healthy", await OnlineDataHealthAsync(rig, h => h == "Healthy", TimeSpan.FromSeconds(10)));

        await redis.KillAsync();
        await redis.StartAgainAsync();
        var lost = Stopwatch.StartNew();
        var health = await OnlineDataHealthAsync(rig, h => h.StartsWith("Degraded", StringComparison.Ordinal), TimeSpan.FromSeconds(30));
        var detected = lost.Elapsed;
        Assert.StartsWith("Degraded", health);
        Assert.Contains($"project '{rig.Project}'", health);
        Assert.Contains("restore-online", health);
        Assert.Equal(["NOT_FOUND", "NOT_FOUND"], await StatusesAsync(rig));

        var restore = await Answer.ReadAsync(await rig.RegistryHttp.PostAsJsonAsync("api/v1/materializations/restore-online",
            new { project = rig.Project }, TestContext.Current.CancellationToken));
        Assert.True(restore.Status == 202, restore.Text);
        var jobs = restore.Body.GetProperty("jobs").EnumerateArray().ToList();
        // Both online views are refilled: the batch view and the one over the push source (its log is in the offline store).
        Assert.Equal(["clicks", "stats"], jobs.Select(j => j.GetProperty("view").GetString()).Order());
        foreach (var job in jobs)
        {
            var done = await Materializations.WaitForJobAsync(rig.RegistryHttp, job.GetProperty("job").GetProperty("location").GetString()!,
                rig.Diagnostics);
            Assert.True(done.Status == Domain.JobStatus.Succeeded, $"{done.Status}: {done.Error}");
        }
        Assert.Equal(["PRESENT", "PRESENT"], await StatusesAsync(rig));
        Assert.Equal("Healthy", await OnlineDataHealthAsync(rig, h => h == "Healthy", TimeSpan.FromSeconds(10)));
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"Online store lost: noticed {detected.TotalSeconds:F2} s after Redis came back empty; restored (PRESENT, healthy) "
            + $"{lost.Elapsed.TotalSeconds:F2} s after");
    }

    private static async Task<string[]> StatusesAsync(OutageRig rig)
    {
        var answer = await rig.OnlineAsync();
        Assert.True(answer.Status == 200, answer.Text);
        return answer.Body.GetProperty("results").EnumerateArray()
            .Select(r => r.GetProperty("statuses").GetProperty("purchases").GetString()!).ToArray();
    }

    /// <summary>feature-api's <c>online-data</c> check as "status: description", once <paramref name="until"/> holds or the time is
    /// up.</summary>
    private static async Task<string> OnlineDataHealthAsync(OutageRig rig, Func<string, bool> until, TimeSpan limit)
    {
        var clock = Stopwatch.StartNew();
        string seen;
        do
        {
            using var response = await rig.FeatureApiHttp.GetAsync("health");
            using var health = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            var check = health.RootElement.GetProperty("checks").GetProperty("online-data");
            var status = check.GetProperty("status").GetString()!;
            seen = status == "Healthy" ? status : $"{status}: {check.GetProperty("description").GetString()}";
            if (until(seen)) return seen;
            await Task.Delay(100);
        } while (clock.Elapsed < limit);
        return seen;
    }
}
