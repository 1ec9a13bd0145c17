using System.Diagnostics.Metrics;
using FeatureStore.Api.Audit;
using FeatureStore.Domain.Security;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging.Abstractions;

namespace FeatureStore.UnitTests.Security;

public sealed class AuditTrailTests
{
    private static AuditRecord Record(int i) => new(DateTimeOffset.UnixEpoch.AddTicks(123_456_789 + i), $"key{i}", "ApiKey",
        "127.0.0.1", "registry", "apply", "POST /api/v1/apply", "p", [$"featureView/v{i} (create)"], [], null,
        AuditOutcome.Allowed, 200, null, null);

    private static AuditTrail Trail() =>
        new(new ServiceCollection().AddMetrics().BuildServiceProvider().GetRequiredService<IMeterFactory>());

    [Fact]
    public void The_chain_links_each_record_to_the_one_before_and_shows_any_change()
    {
        var first = AuditChain.Link(Record(1), 1, AuditChain.Genesis);
        var second = AuditChain.Link(Record(2), 2, first.Hash);
        Assert.Equal(0, first.At.UtcTicks % 10); // kept to the microsecond, as the database keeps it
        Assert.Null(AuditChain.Break(AuditChain.Genesis, first));
        Assert.Null(AuditChain.Break(first.Hash, second));
        Assert.NotNull(AuditChain.Break(first.Hash, second with { Principal = "someone-else" }));
        Assert.NotNull(AuditChain.Break(first.Hash, second with { Status = 403 }));
        Assert.NotNull(AuditChain.Break(AuditChain.Genesis, second)); // out of its place
    }

    [Fact]
    public async Task An_unwritable_log_is_retried_in_order_and_reported_until_it_is_written()
    {
        var trail = Trail();
        var sink = new FlakySink { FailuresLeft = int.MaxValue };
        var shipper = new AuditShipper(trail, sink, TimeProvider.System, NullLogger<AuditShipper>.Instance);
        for (var i = 0; i < 3; i++) trail.Record(Record(i));
        await shipper.StartAsync(TestContext.Current.CancellationToken);
        // The log stays unwritable until the test has seen it reported (a fixed number of failures raced a busy machine).
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (sink.Attempts < 2 && DateTime.UtcNow < deadline) await Task.Delay(20, TestContext.Current.CancellationToken);
        Assert.True(sink.Attempts >= 2, "the shipper tried again after the first failure");
        var health = await shipper.CheckHealthAsync(new HealthCheckContext(), TestContext.Current.CancellationToken);
        Assert.Equal(HealthStatus.Degraded, health.Status);
        Assert.Contains("cannot be written", health.Description);
        Assert.Empty(sink.Written);
        sink.FailuresLeft = 0;
        while (sink.Written.Count < 3 && DateTime.UtcNow < deadline) await Task.Delay(20, TestContext.Current.CancellationToken);
        Assert.Equal(["key0", "key1", "key2"], sink.Written.Select(r => r.Principal));
        Assert.Equal(HealthStatus.Healthy,
            (await shipper.CheckHealthAsync(new HealthCheckContext(), TestContext.Current.CancellationToken)).Status);
        await shipper.StopAsync(TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task A_full_queue_drops_counts_and_reports_never_waits()
    {
        var trail = Trail();
        for (var i = 0; i < AuditTrail.Capacity + 5; i++) trail.Record(Record(i));
        Assert.Equal(5, trail.Dropped);
        var shipper = new AuditShipper(trail, new FlakySink(), TimeProvider.System, NullLogger<AuditShipper>.Instance);
        var health = await shipper.CheckHealthAsync(new HealthCheckContext(), TestContext.Current.CancellationToken);
        Assert.Equal(HealthStatus.Degraded, health.Status);
        Assert.Contains("5 audit records were dropped", health.Description);
    }

    /// <summary>An audit sink that fails a number of times before it writes (the log's database or bus away, then back).</summary>
    private sealed class FlakySink : IAuditSink
    {
        private int _failuresLeft;
        private int _attempts;

        public int FailuresLeft { get => Volatile.Read(ref _failuresLeft); set => Volatile.Write(ref _failuresLeft, value); }
        public int Attempts => Volatile.Read(ref _attempts);
        public List<AuditRecord> Written { get; } = [];

        public Task WriteAsync(IReadOnlyList<AuditRecord> records, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _attempts);
            if (Interlocked.Decrement(ref _failuresLeft) >= 0) throw new InvalidOperationException("the audit log's database is down");
            lock (Written) Written.AddRange(records);
            return Task.CompletedTask;
        }
    }
}
