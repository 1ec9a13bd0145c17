using System.Text.Json;

namespace FeatureStore.IntegrationTests.Services;

public sealed partial class OutageTests
{
    [Fact]
    public async Task Historical_retrieval_and_offline_pushes_answer_503_naming_the_object_store_while_S3_is_down()
    {
        var backends = Own(await IsolatedBackends.CreateAsync());
        var s3 = Own(await LocalS3.StartAsync());
        var rig = await OutageRig.StartAsync(_resources, backends, environment =>
            environment["ConnectionStrings__minio"] = s3.ConnectionString);
        Call historical = new("historical retrieval saved as a dataset", rig.HistoricalSavedAsync),
            push = new("push to offline", rig.PushOfflineAsync), online = new("online read", rig.OnlineAsync);
        await Load.UntilAllSucceedAsync(TimeSpan.FromSeconds(30), historical, push, online);

        await s3.KillAsync();
        var during = await Load.DuringAsync(TimeSpan.FromSeconds(8), historical, push, online);
        TestContext.Current.TestOutputHelper?.WriteLine($"S3 outage (8 s): {Load.Describe(during)}");
        Load.AssertAllRefused(during.Where(a => a.Call != "online read"), "objectStore");
        Assert.All(during.Where(a => a.Call == "online read"), a => Assert.True(a.Answer.Status == 200, a.Answer.Text));
        Assert.False(rig.Registry.HasExited || rig.FeatureApi.HasExited, rig.Diagnostics());

        await s3.StartAgainAsync();
        var recovered = await Load.UntilAllSucceedAsync(TimeSpan.FromSeconds(30), historical, push, online);
        TestContext.Current.TestOutputHelper?.WriteLine($"S3 back: every call succeeds again {recovered:F2} s after the restart");
    }

    [Fact]
    public async Task A_catalogued_offline_file_missing_from_the_object_store_is_refused_naming_it()
    {
        var backends = Own(await IsolatedBackends.CreateAsync());
        var rig = await OutageRig.StartAsync(_resources, backends, _ => { });
        var files = await rig.RegistryHttp.GetAnswerAsync($"api/v1/feature-views/stats/offline-files?project={rig.Project}&version=1");
        Assert.True(files.Status == 200, files.Text);
        var keys = files.Body.EnumerateArray().Select(f => f.GetProperty("path").GetString()!).ToList();
        Assert.NotEmpty(keys);
        foreach (var key in keys) await rig.Objects.DeleteAsync(key, TestContext.Current.CancellationToken);

        var answer = await rig.HistoricalAsync();
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"Lost offline file ({keys.Count} deleted): historical retrieval answered {answer.Status}: {answer.Text}");
        Assert.True(answer.Status is 503 or 409, $"{answer.Status}: {answer.Text}");
        Assert.Contains(answer.ErrorFields, f => f == "objectStore");
        var reasons = answer.Body.GetProperty("errors").EnumerateArray().Select(e => e.GetProperty("reason").GetString()).ToList();
        Assert.Contains(reasons, r => keys.Any(k => r!.Contains(k, StringComparison.Ordinal)));
        Assert.Equal(JsonValueKind.Object, answer.Body.ValueKind);
    }
}
