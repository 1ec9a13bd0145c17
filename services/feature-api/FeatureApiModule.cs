using FeatureStore.CatalogClient;
using FeatureStore.Contracts;
using FeatureStore.Domain.Security;
using FeatureStore.FeatureApi.Consumers;
using FeatureStore.FeatureApi.Grpc;
using FeatureStore.FeatureApi.Health;
using FeatureStore.FeatureApi.Historical;
using FeatureStore.FeatureApi.Infrastructure;
using FeatureStore.FeatureApi.Monitoring;
using FeatureStore.FeatureApi.Push;
using FeatureStore.FeatureApi.Serving;
using FeatureStore.Messaging;
using FeatureStore.Storage;
using MassTransit;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace FeatureStore.FeatureApi;

/// <summary>The feature-api service as a module.</summary>
public static class FeatureApiModule
{
    public const string ServiceName = "feature-api";

    public static TBuilder AddFeatureApiModule<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.AddOnlineStore();
        builder.AddObjectStore();
        builder.AddRegistryClient();
        builder.Services.TryAddSingleton(TimeProvider.System);
        var data = builder.DataDirectory();
        builder.Services.AddSingleton<DefinitionCache>();
        builder.Services.Replace(ServiceDescriptor.Singleton<IPermissionSource>(services =>
            services.GetRequiredService<DefinitionCache>()));
        builder.Services.AddSingleton<FeatureSelector>();
        builder.Services.AddOptions<LimitOptions>().BindConfiguration("FeatureStore:Limits");
        builder.Services.AddOptions<OnDemandOptions>().BindConfiguration(OnDemandOptions.Section).ValidateOnStart();
        builder.Services.AddSingleton<OnDemandEvaluator>();
        builder.Services.AddSingleton<UsageLedger>();
        builder.Services.AddOptions<UsageOptions>().BindConfiguration("FeatureStore:Usage");
        builder.Services.AddHostedService<UsageShipper>();
        builder.Services.AddOptions<FeatureLoggingOptions>().BindConfiguration("FeatureStore:FeatureLogging");
        builder.Services.AddSingleton<FeatureLogger>();
        builder.Services.AddHostedService<FeatureLogWriter>();
        builder.Services.AddSingleton<DriftCheck>();
        builder.Services.AddSingleton<DriftMetrics>();
        builder.Services.AddSingleton<ServingMetrics>();
        builder.Services.AddSingleton<OnlineFeatureReader>();
        builder.AddFeastGrpc();
        builder.Services.AddOptions<HistoricalOptions>().BindConfiguration("FeatureStore:Historical").PostConfigure(options =>
        {
            if (options.WorkDirectory.Length == 0) options.WorkDirectory = Path.Combine(data, "historical");
            if (options.CacheDirectory.Length == 0) options.CacheDirectory = Path.Combine(data, "offline-cache");
        });
        builder.Services.AddSingleton<SavedDatasets>();
        builder.Services.AddSingleton<ReadableDatasets>();
        builder.Services.AddSingleton<HeldHistories>();
        builder.Services.AddSingleton<HistoricalRetrieval>();
        builder.Services.AddSingleton<ParquetTableWriter>();
        builder.Services.AddSingleton<OfflinePushWriter>();
        builder.Services.AddSingleton<PushWriter>();
        builder.Services.AddOptions<OnlineWatchOptions>().BindConfiguration("FeatureStore:OnlineWatch");
        builder.Services.AddSingleton<OnlineDataWatch>();
        builder.Services.AddHostedService(services => services.GetRequiredService<OnlineDataWatch>());
        builder.Services.AddHealthChecks().Add(new HealthCheckRegistration("online-data",
            services => services.GetRequiredService<OnlineDataWatch>(), HealthStatus.Degraded, tags: null));
        return builder;
    }

    /// <summary>Every feature-api instance refreshes its own cache, so these are broadcast consumers; a drift check runs on one.</summary>
    public static void RegisterConsumers(IBusRegistrationConfigurator bus)
    {
        bus.AddConsumer<CheckFeatureDriftConsumer>().Endpoint(endpoint =>
        {
            endpoint.Name = Queues.CheckDrift;
            endpoint.ConcurrentMessageLimit = 1; // a check reads and samples whole files: one at a time per instance
        });
        bus.AddBroadcastConsumer<FeatureViewAppliedConsumer>(ServiceName);
        bus.AddBroadcastConsumer<FeatureViewDeletedConsumer>(ServiceName);
        bus.AddBroadcastConsumer<MaterializationCompletedConsumer>(ServiceName);
        bus.AddBroadcastConsumer<RegistryChangedConsumer>(ServiceName);
    }

    public static TBuilder AddFeatureApi<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.AddFeatureApiModule();
        builder.AddMessaging(BusKind.RabbitMq, RegisterConsumers);
        builder.AddApiEndpoints(typeof(FeatureApiModule).Assembly);
        return builder;
    }
}
