using System.Collections.Concurrent;
using FeatureStore.Messaging;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace FeatureStore.IntegrationTests.Messaging;

public sealed record LedgerEntry(Guid Id);

public sealed record Heartbeat(Guid Id);

public sealed class Attempts
{
    private readonly ConcurrentDictionary<Guid, int> _counts = new();
    public int Count(Guid id) => _counts.AddOrUpdate(id, 1, (_, n) => n + 1);
    public int Of(Guid id) => _counts.GetValueOrDefault(id);
}

public sealed class AlwaysFailingConsumer(Attempts attempts) : IConsumer<LedgerEntry>
{
    public Task Consume(ConsumeContext<LedgerEntry> context)
    {
        attempts.Count(context.Message.Id);
        throw new InvalidOperationException("the ledger is locked");
    }
}

public sealed class FlakyConsumer(Attempts attempts) : IConsumer<Heartbeat>
{
    public Task Consume(ConsumeContext<Heartbeat> context) =>
        attempts.Count(context.Message.Id) == 1 ? throw new TimeoutException("first try times out") : Task.CompletedTask;
}

/// <summary>The shared bus wiring over real RabbitMQ: retries, the error queue, and the log line that says why.</summary>
public sealed class RetryAndErrorQueueTests
{
    [Fact]
    public async Task A_message_that_keeps_failing_is_retried_then_moved_to_the_error_queue_with_its_reason_logged()
    {
        await using var backends = await IsolatedBackends.CreateAsync();
        var logs = new CollectingLoggerProvider();
        using var host = BuildHost(backends, logs, bus => bus.AddConsumer<AlwaysFailingConsumer>());
        await host.StartAsync(TestContext.Current.CancellationToken);
        var id = Guid.NewGuid();

        await host.Services.GetRequiredService<IBus>().Publish(new LedgerEntry(id), TestContext.Current.CancellationToken);

        await Eventually(async () => await backends.QueueDepthAsync("always-failing_error") == 1,
            "the message to reach always-failing_error",
            details: () => $"attempts: {host.Services.GetRequiredService<Attempts>().Of(id)}\nqueues: " +
                $"{backends.DescribeQueuesAsync().GetAwaiter().GetResult()}\n{string.Join("\n", logs.Lines)}");
        var attempts = host.Services.GetRequiredService<Attempts>();
        Assert.Equal(1 + MessagingExtensions.RetryIntervals.Length, attempts.Of(id));
        var line = Assert.Single(logs.Lines, l => l.Contains("Giving up on LedgerEntry"));
        Assert.Contains("error queue", line);
        Assert.Contains("InvalidOperationException: the ledger is locked", line);
        await host.StopAsync(TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task A_message_that_fails_once_is_retried_and_never_reaches_the_error_queue()
    {
        await using var backends = await IsolatedBackends.CreateAsync();
        var logs = new CollectingLoggerProvider();
        using var host = BuildHost(backends, logs, bus => bus.AddConsumer<FlakyConsumer>());
        await host.StartAsync(TestContext.Current.CancellationToken);
        var id = Guid.NewGuid();

        await host.Services.GetRequiredService<IBus>().Publish(new Heartbeat(id), TestContext.Current.CancellationToken);

        var attempts = host.Services.GetRequiredService<Attempts>();
        await Eventually(() => Task.FromResult(attempts.Of(id) == 2), "the retry to succeed");
        await Task.Delay(500, TestContext.Current.CancellationToken);
        Assert.Equal(2, attempts.Of(id));
        Assert.Equal(0, await backends.QueueDepthAsync("flaky_error"));
        Assert.DoesNotContain(logs.Lines, l => l.Contains("Giving up"));
        await host.StopAsync(TestContext.Current.CancellationToken);
    }

    [Fact]
    public void A_service_without_a_broker_refuses_to_start_and_says_what_is_missing()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration["ConnectionStrings:messaging"] = ""; // whatever the environment says
        var error = Assert.Throws<InvalidOperationException>(() => builder.AddMessaging(BusKind.RabbitMq));
        Assert.Contains("ConnectionStrings:messaging", error.Message);
    }

    private static IHost BuildHost(IsolatedBackends backends, CollectingLoggerProvider logs, Action<IBusRegistrationConfigurator> consumers)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration["ConnectionStrings:messaging"] = backends.MessagingConnectionString;
        builder.Logging.ClearProviders().AddProvider(logs);
        builder.Services.AddSingleton<Attempts>();
        builder.AddMessaging(BusKind.RabbitMq, consumers);
        return builder.Build();
    }

    internal static async Task Eventually(Func<Task<bool>> condition, string what, int seconds = 45, Func<string>? details = null)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) Assert.Fail($"waited {seconds}s for {what}\n{details?.Invoke()}");
            await Task.Delay(250);
        }
    }
}

public sealed class CollectingLoggerProvider : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _lines = new();

    public IReadOnlyList<string> Lines => _lines.ToArray();

    public ILogger CreateLogger(string categoryName) => new Collector(_lines);

    public void Dispose() { }

    private sealed class Collector(ConcurrentQueue<string> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;
        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception,
            Func<TState, Exception?, string> formatter) =>
            lines.Enqueue($"{logLevel}: {formatter(state, exception)}");
    }
}
