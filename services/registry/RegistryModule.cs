using FeatureStore.Api.Security;
using FeatureStore.Domain;
using FeatureStore.Domain.Security;
using FeatureStore.Messaging;
using FeatureStore.Registry.Consumers;
using FeatureStore.Registry.Definitions;
using FeatureStore.Registry.Infrastructure;
using FeatureStore.Registry.Materializations;
using FeatureStore.Registry.Monitoring;
using FeatureStore.Registry.Offline;
using FeatureStore.Registry.Schedules;
using FeatureStore.Registry.Sources;
using FeatureStore.Registry.Storage;
using FeatureStore.Storage;
using MassTransit;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace FeatureStore.Registry;

/// <summary>The registry service as a module: what it needs, what it consumes. The standalone host composes it.</summary>
public static class RegistryModule
{
    public static TBuilder AddRegistryModule<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.AddRegistryStore();
        builder.AddObjectStore(); // source schemas are read from the object store when a source declares none
        // In one process with the registry, definitions are read from its store, not over HTTP.
        builder.Services.TryAddSingleton<StoreBackedCatalog>();
        builder.Services.Replace(ServiceDescriptor.Singleton<IDefinitionCatalog>(services =>
            services.GetRequiredService<StoreBackedCatalog>()));
        builder.Services.Replace(ServiceDescriptor.Singleton<IOfflineCatalogWriter>(services =>
            services.GetRequiredService<StoreBackedCatalog>()));
        builder.Services.Replace(ServiceDescriptor.Singleton<IJobStatusLookup>(services =>
            services.GetRequiredService<StoreBackedCatalog>()));
        builder.Services.Replace(ServiceDescriptor.Singleton<IOnlineHistory>(services =>
            services.GetRequiredService<StoreBackedCatalog>()));
        builder.Services.Replace(ServiceDescriptor.Singleton<IApiKeySource, StoreApiKeySource>());
        builder.Services.Replace(ServiceDescriptor.Singleton<IAuditSink, StoreAuditSink>());
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<OutboxSignal>();
        builder.Services.AddSingleton<ApplyService>();
        builder.Services.AddOptions<DocumentLimits>().BindConfiguration("FeatureStore:Limits:Documents");
        builder.Services.AddSingleton<JobLauncher>();
        builder.Services.AddSingleton<Compatibility.FeatureSets>();
        builder.Services.AddSingleton<MaterializationMetrics>();
        builder.Services.AddSingleton<FreshnessBoard>();
        builder.Services.AddSingleton<OfflineHistories>();
        builder.Services.AddOptions<CompactionOptions>().BindConfiguration("FeatureStore:Offline:Compaction");
        builder.Services.AddSingleton<OfflineCompactions>();
        var data = builder.DataDirectory();
        builder.Services.AddOptions<UploadOptions>().BindConfiguration("FeatureStore:Uploads").PostConfigure(options =>
        {
            if (options.WorkDirectory.Length == 0) options.WorkDirectory = Path.Combine(data, "uploads");
        });
        builder.Services.AddSingleton<SourceUploads>();
        builder.Services.AddSingleton<IScheduleSweep, MaterializationScheduler>();
        builder.Services.AddSingleton<IScheduleSweep, DriftScheduler>();
        builder.Services.AddHostedService<ScheduleSweeper>();
        builder.Services.AddHostedService<MaterializationMetricsSeed>();
        builder.Services.AddHostedService<OutboxDispatcher>();
        return builder;
    }

    public static void RegisterConsumers(IBusRegistrationConfigurator bus)
    {
        bus.AddConsumer<MaterializationEventsConsumer>();
        bus.AddConsumer<MaterializationFaultConsumer>();
        bus.AddConsumer<OfflineCompactionEventsConsumer>();
        bus.AddConsumer<ModelTrainedConsumer>();
        bus.AddConsumer<AuditRecordsConsumer>();
        bus.AddConsumer<ServingUsageConsumer>();
        bus.AddConsumer<FeatureLogWrittenConsumer>();
        bus.AddConsumer<ModelPromotedConsumer>();
    }

    public static TBuilder AddRegistry<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.AddRegistryModule();
        builder.AddMessaging(BusKind.RabbitMq, RegisterConsumers);
        builder.AddApiEndpoints(typeof(RegistryModule).Assembly);
        return builder;
    }
}
