using FeatureStore.CatalogClient;
using FeatureStore.Messaging;
using FeatureStore.ModelApi.Churn;
using FeatureStore.ModelApi.Infrastructure;
using FeatureStore.ModelApi.Performance;
using FeatureStore.ModelApi.Serving;
using FeatureStore.ModelApi.Storage;
using FeatureStore.ModelApi.Training;
using FeatureStore.Storage;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace FeatureStore.ModelApi;

/// <summary>The model-api service as a module: the churn model's training, versions, predictions and consistency check.</summary>
public static class ModelApiModule
{
    public static TBuilder AddModelApiModule<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.AddModelStore();
        builder.AddObjectStore();
        builder.AddRegistryClient();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddOptions<ChurnModelOptions>().BindConfiguration("FeatureStore:ChurnModel")
            .Validate(o => FeaturesUnavailable.IsKnown(o.WhenFeaturesUnavailable),
                $"FeatureStore:ChurnModel:WhenFeaturesUnavailable must be one of: {string.Join(", ", FeaturesUnavailable.All)}")
            .ValidateOnStart();
        builder.Services.AddFeatureApiClients();
        builder.Services.AddSingleton<FeatureApiClient>();
        builder.Services.AddTransient<LabelReader>();
        builder.Services.AddTransient<ChurnTrainer>();
        builder.Services.AddSingleton<TrainingQueue>();
        builder.Services.AddHostedService(services => services.GetRequiredService<TrainingQueue>());
        builder.Services.AddSingleton<ModelCache>();
        builder.Services.AddSingleton<ModelPromotions>();
        builder.Services.AddSingleton<ModelMetrics>();
        builder.Services.AddSingleton<PredictionLog>();
        builder.Services.AddHostedService(services => services.GetRequiredService<PredictionLog>());
        builder.Services.AddTransient<ChurnPredictor>();
        builder.Services.AddTransient<ConsistencyCheck>();
        return builder;
    }

    public static TBuilder AddModelApi<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.AddModelApiModule();
        builder.AddMessaging(BusKind.RabbitMq);
        builder.AddApiEndpoints(typeof(ModelApiModule).Assembly);
        return builder;
    }
}
