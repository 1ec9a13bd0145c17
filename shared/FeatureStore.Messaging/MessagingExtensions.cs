using FeatureStore.Domain.Security;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace FeatureStore.Messaging;

public enum BusKind
{
    /// <summary>RabbitMQ from <c>ConnectionStrings:messaging</c>; a service refuses to start without it.</summary>
    RabbitMq,
    /// <summary>RabbitMQ when configured, otherwise MassTransit's in-memory bus (the standalone host only).</summary>
    RabbitMqOrInMemory,
}

/// <summary>
/// One place that builds the bus. Modules only register their consumers, so the standalone host can
/// put every module's consumers on one bus.
/// </summary>
public static class MessagingExtensions
{
    public const string ConnectionName = "messaging";

    /// <summary>Redelivery delays before a message is given up and moved to its <c>_error</c> queue.</summary>
    public static readonly TimeSpan[] RetryIntervals = [TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(3)];

    public static TBuilder AddMessaging<TBuilder>(this TBuilder builder, BusKind kind,
        params Action<IBusRegistrationConfigurator>[] registerConsumers)
        where TBuilder : IHostApplicationBuilder
    {
        var connectionString = builder.Configuration.GetConnectionString(ConnectionName);
        if (string.IsNullOrWhiteSpace(connectionString) && kind == BusKind.RabbitMq)
            throw new InvalidOperationException(
                $"ConnectionStrings:{ConnectionName} is not set. This service needs RabbitMQ (amqp://user:password@host:port); " +
                "the in-memory bus exists only inside the standalone host.");

        // Start means started: until the bus has bound its queues, a published message could find no
        // subscriber and be lost, so a host waits for that (and fails if the broker stays away).
        builder.Services.Configure<MassTransitHostOptions>(host =>
        {
            host.WaitUntilStarted = true;
            host.StartTimeout = TimeSpan.FromSeconds(60);
            host.StopTimeout = TimeSpan.FromSeconds(30);
        });
        // A host that is not the registry sends its audit records to it (the registry's module registers its own store first).
        builder.Services.TryAddSingleton<IAuditSink, BusAuditSink>();
        builder.Services.AddMassTransit(bus =>
        {
            // MassTransit 8.5 otherwise reports usage to usage-tracking.masstransit.io: no service of ours calls out
            // to a third party (and tests must not leave loopback).
            bus.DisableUsageTelemetry();
            bus.SetKebabCaseEndpointNameFormatter();
            foreach (var register in registerConsumers) register(bus);
            // Every host that answers API calls caches API keys, so every instance hears of a revocation.
            bus.AddBroadcastConsumer<ApiKeyRevokedConsumer>(builder.Environment.ApplicationName.ToLowerInvariant().Replace('.', '-'));
            bus.AddReceiveObserver<GiveUpLogger>();

            if (string.IsNullOrWhiteSpace(connectionString))
            {
                bus.UsingInMemory((context, cfg) =>
                {
                    cfg.UseMessageRetry(r => r.Intervals(RetryIntervals));
                    cfg.ConfigureEndpoints(context);
                });
                return;
            }
            bus.UsingRabbitMq((context, cfg) =>
            {
                cfg.Host(new Uri(connectionString));
                cfg.UseMessageRetry(r => r.Intervals(RetryIntervals));
                cfg.ConfigureEndpoints(context);
            });
        });
        return builder;
    }

    /// <summary>
    /// Registers a consumer of events that every running instance must see (cache refreshes): its
    /// queue is per instance and disappears with it, instead of being shared by competing replicas.
    /// </summary>
    public static void AddBroadcastConsumer<TConsumer>(this IBusRegistrationConfigurator bus, string serviceName)
        where TConsumer : class, IConsumer =>
        bus.AddConsumer<TConsumer>().Endpoint(endpoint =>
        {
            endpoint.Name = $"{serviceName}-{KebabCaseEndpointNameFormatter.Instance.Consumer<TConsumer>()}";
            endpoint.InstanceId = $"-{Guid.NewGuid():N}";
            endpoint.Temporary = true;
        });
}
