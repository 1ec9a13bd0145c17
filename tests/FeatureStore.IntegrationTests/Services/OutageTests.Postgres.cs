namespace FeatureStore.IntegrationTests.Services;

public sealed partial class OutageTests
{
    [Fact]
    public async Task The_registry_answers_503_naming_the_database_while_PostgreSQL_is_down_and_online_reads_go_on()
    {
        var backends = Own(await IsolatedBackends.CreateAsync());
        var postgres = Own(await LocalPostgres.StartAsync());
        var rig = await OutageRig.StartAsync(_resources, backends, environment =>
            environment["ConnectionStrings__registry"] = postgres.ConnectionString);
        Call apply = new("apply", rig.ApplyAsync), list = new("list feature views", rig.ListViewsAsync),
            historical = new("historical retrieval", rig.HistoricalAsync), online = new("online read", rig.OnlineAsync);
        await Load.UntilAllSucceedAsync(TimeSpan.FromSeconds(30), apply, list, historical, online);

        await postgres.KillAsync();
        var during = await Load.DuringAsync(TimeSpan.FromSeconds(8), apply, list, historical, online);
        var figures = $"PostgreSQL outage (8 s): {Load.Describe(during)}";
        TestContext.Current.TestOutputHelper?.WriteLine(figures);
        Load.AssertAllRefused(during.Where(a => a.Call is "apply" or "list feature views"), "database");
        // feature-api asks the registry, which answers 503: feature-api passes that on, naming the registry.
        Load.AssertAllRefused(during.Where(a => a.Call == "historical retrieval"), "registry");
        // Definitions are cached in feature-api and values are in Redis: online serving does not need PostgreSQL.
        Assert.All(during.Where(a => a.Call == "online read"), a => Assert.True(a.Answer.Status == 200, a.Answer.Text));
        Assert.False(rig.Registry.HasExited || rig.FeatureApi.HasExited, rig.Diagnostics());

        await postgres.StartAgainAsync();
        var recovered = await Load.UntilAllSucceedAsync(TimeSpan.FromSeconds(30), apply, list, historical, online);
        TestContext.Current.TestOutputHelper?.WriteLine($"PostgreSQL back: every call succeeds again {recovered:F2} s after the restart");
    }
}
