using FeatureStore.Client;
using FeatureStore.Messaging;
using FeatureStore.ModelApi.Churn;
using FeatureStore.ModelApi.Infrastructure;
using FeatureStore.ModelApi.Serving;
using FeatureStore.ModelApi.Storage;
using FeatureStore.ModelApi.Training;
using FeatureStore.Storage;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;

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
        builder.Services.AddOptions<ChurnModelOptions>().BindConfiguration("FeatureStore:ChurnModel");
#pragma warning disable EXTEXP0001 // replacing the defaults' handler is the documented way; the API is marked experimental
        builder.Services.AddHttpClient<FeatureApiClient>(http =>
            {
                http.BaseAddress = new Uri($"http://{FeatureApiClient.ServiceName}/");
                http.Timeout = Timeout.InfiniteTimeSpan; // the resilience handler below times requests
            })
            // A training set is one historical retrieval that may take minutes, and it saves a named dataset: it must
            // not be cut off after the default 10 s nor sent twice, so POSTs are not retried here.
            .RemoveAllResilienceHandlers()
            .AddStandardResilienceHandler(resilience =>
            {
                resilience.AttemptTimeout.Timeout = TimeSpan.FromMinutes(10);
                resilience.TotalRequestTimeout.Timeout = TimeSpan.FromMinutes(10);
                resilience.CircuitBreaker.SamplingDuration = TimeSpan.FromMinutes(20);
                resilience.Retry.DisableForUnsafeHttpMethods();
            });
#pragma warning restore EXTEXP0001
        builder.Services.AddTransient<LabelReader>();
        builder.Services.AddTransient<ChurnTrainer>();
        builder.Services.AddSingleton<TrainingQueue>();
        builder.Services.AddHostedService(services => services.GetRequiredService<TrainingQueue>());
        builder.Services.AddSingleton<ModelCache>();
        builder.Services.AddSingleton<ModelMetrics>();
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
