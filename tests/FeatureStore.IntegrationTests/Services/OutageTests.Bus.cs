namespace FeatureStore.IntegrationTests.Services;

public sealed partial class OutageTests
{
    [Fact]
    public async Task Materialize_requests_answer_503_naming_the_bus_while_RabbitMQ_is_unreachable_and_nothing_accepted_is_lost()
    {
        var backends = Own(await IsolatedBackends.CreateAsync());
        var rabbit = new Uri(TestInfrastructure.RabbitMq);
        var proxy = Own(LocalTcpProxy.Start(rabbit.Host, rabbit.Port));
        var throughProxy = new UriBuilder(backends.MessagingConnectionString) { Port = proxy.Port }.ToString();
        var rig = await OutageRig.StartAsync(_resources, backends, environment =>
            environment["ConnectionStrings__messaging"] = throughProxy);
        Call materialize = new("materialize", rig.MaterializeAsync, Success: 202), apply = new("apply", rig.ApplyAsync),
            online = new("online read", rig.OnlineAsync);

        proxy.Cut();
        var during = await Load.DuringAsync(TimeSpan.FromSeconds(8), materialize, apply, online);
        TestContext.Current.TestOutputHelper?.WriteLine($"RabbitMQ unreachable (8 s): {Load.Describe(during)}");
        // A job is sent to pipeline-worker straight away (no outbox): refused, and recorded as failed, while the bus is away;
        // one accepted (202) must still be done once it is back.
        Load.AssertAllRefused(during.Where(a => a.Call == "materialize" && a.Answer.Status != 202), "bus");
        // Apply writes its events to the registry's outbox in the same commit: it needs no bus, they go out later.
        Assert.All(during.Where(a => a.Call != "materialize"), a => Assert.True(a.Answer.Status == 200, $"{a.Call}: {a.Answer.Text}"));
        var accepted = during.Where(a => a.Answer.Status == 202).Select(a => a.Answer.Headers.Location!.ToString()).ToList();
        Assert.False(rig.Registry.HasExited || rig.FeatureApi.HasExited, rig.Diagnostics());

        proxy.StartAgain();
        var recovered = await Load.UntilAllSucceedAsync(TimeSpan.FromSeconds(30), materialize);
        TestContext.Current.TestOutputHelper?.WriteLine($"RabbitMQ back: materialize accepted again {recovered:F2} s after the restart");
        foreach (var location in accepted)
        {
            var job = await Materializations.WaitForJobAsync(rig.RegistryHttp, location, rig.Diagnostics);
            Assert.True(job.Status == FeatureStore.Domain.JobStatus.Succeeded, $"{location} ended {job.Status}: {job.Error}");
        }
    }
}
