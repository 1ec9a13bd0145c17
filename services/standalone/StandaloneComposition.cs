using FeatureStore.FeatureApi;
using FeatureStore.Messaging;
using FeatureStore.ModelApi;
using FeatureStore.PipelineWorker;
using FeatureStore.Registry;

namespace FeatureStore.Standalone;

/// <summary>
/// Composes the four service modules in one process. Backends follow the same configuration contract
/// as the separate services: real servers where <c>ConnectionStrings:*</c> are set, otherwise SQLite,
/// a local folder and the in-memory bus under <c>FeatureStore:DataDirectory</c>.
/// </summary>
public static class StandaloneComposition
{
    public static TBuilder AddAllServices<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.AddRegistryModule();
        builder.AddPipelineWorkerModule();
        builder.AddFeatureApiModule();
        builder.AddModelApiModule();
        builder.AddMessaging(BusKind.RabbitMqOrInMemory,
            RegistryModule.RegisterConsumers, PipelineWorkerModule.RegisterConsumers, FeatureApiModule.RegisterConsumers);
        builder.AddApiEndpoints(typeof(RegistryModule).Assembly, typeof(PipelineWorkerModule).Assembly,
            typeof(FeatureApiModule).Assembly, typeof(ModelApiModule).Assembly);
        return builder;
    }
}
