using FeatureStore.CatalogClient;
using FeatureStore.Contracts;
using FeatureStore.Messaging;
using FeatureStore.PipelineWorker.Compaction;
using FeatureStore.PipelineWorker.Consumers;
using FeatureStore.PipelineWorker.Materialization;
using FeatureStore.Storage;
using MassTransit;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace FeatureStore.PipelineWorker;

/// <summary>The pipeline-worker service as a module. Replicas compete for the materialize queue.</summary>
public static class PipelineWorkerModule
{
    public static TBuilder AddPipelineWorkerModule<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.AddObjectStore();
        builder.AddOnlineStore();
        builder.AddRegistryClient();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<RunningJobs>();
        builder.Services.AddSingleton(Options(builder));
        builder.Services.AddSingleton<SourceCache>();
        builder.Services.AddSingleton<OnlineExport>();
        builder.Services.AddSingleton<OfflineExport>();
        builder.Services.AddSingleton<OnlineRetraction>();
        builder.Services.AddSingleton<FeatureViewMaterializer>();
        builder.Services.AddSingleton<OfflineCompactor>();
        return builder;
    }

    public const string ServiceName = "pipeline-worker";

    private static WorkerOptions Options(IHostApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection("FeatureStore:Worker").Get<WorkerOptions>() ?? new WorkerOptions();
        var data = builder.DataDirectory();
        if (options.WorkDirectory.Length == 0) options.WorkDirectory = Path.Combine(data, "worker");
        if (options.CacheDirectory.Length == 0) options.CacheDirectory = Path.Combine(data, "source-cache");
        return options;
    }

    public static void RegisterConsumers(IBusRegistrationConfigurator bus)
    {
        // Replicas compete for partitions; every replica hears cancellations.
        bus.AddConsumer<MaterializeFeatureViewConsumer>().Endpoint(endpoint =>
        {
            endpoint.Name = Queues.Materialize;
            endpoint.ConcurrentMessageLimit = 1; // one partition at a time: a run takes the machine's cores and memory
            endpoint.PrefetchCount = 1;          // and no hoarding: other replicas take the remaining partitions
        });
        bus.AddConsumer<CompactOfflineHistoryConsumer>().Endpoint(endpoint =>
        {
            endpoint.Name = Queues.Compact;
            endpoint.ConcurrentMessageLimit = 1; // a compaction reads and writes whole files: one at a time per replica
            endpoint.PrefetchCount = 1;
        });
        bus.AddBroadcastConsumer<MaterializationCancelledConsumer>(ServiceName);
    }

    public static TBuilder AddPipelineWorker<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.AddPipelineWorkerModule();
        builder.AddMessaging(BusKind.RabbitMq, RegisterConsumers);
        builder.AddApiEndpoints(typeof(PipelineWorkerModule).Assembly);
        return builder;
    }
}
