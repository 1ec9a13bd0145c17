using FeatureStore.Client;
using FeatureStore.Contracts;
using FeatureStore.Messaging;
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
        builder.Services.AddSingleton<FeatureViewMaterializer>();
        return builder;
    }

    public static void RegisterConsumers(IBusRegistrationConfigurator bus) =>
        bus.AddConsumer<MaterializeFeatureViewConsumer>().Endpoint(endpoint => endpoint.Name = Queues.Materialize);

    public static TBuilder AddPipelineWorker<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.AddPipelineWorkerModule();
        builder.AddMessaging(BusKind.RabbitMq, RegisterConsumers);
        builder.AddApiEndpoints(typeof(PipelineWorkerModule).Assembly);
        return builder;
    }
}
