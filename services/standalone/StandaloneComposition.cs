using FeatureStore.Api.Security;
using FeatureStore.Domain.Security;
using FeatureStore.FeatureApi;
using FeatureStore.Messaging;
using FeatureStore.ModelApi;
using FeatureStore.ModelApi.Infrastructure;
using FeatureStore.PipelineWorker;
using FeatureStore.Registry;
using FeatureStore.Web;

namespace FeatureStore.Standalone;

/// <summary>
/// Composes the four service modules in one process. Backends follow the same configuration contract
/// as the separate services: real servers where <c>ConnectionStrings:*</c> are set, otherwise SQLite,
/// a local folder and the in-memory bus under <c>FeatureStore:DataDirectory</c>.
/// </summary>
public static class StandaloneComposition
{
    /// <summary>Where the UI answers in the standalone host (<c>http://localhost:5000/ui/</c>); the API keeps the root.</summary>
    public static readonly PathString UiPathBase = "/ui";

    public static TBuilder AddAllServices<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        // model-api and the UI call the services over HTTP as they do anywhere; here every service is this very process.
        foreach (var service in new[] { "registry", FeatureApiClient.ServiceName, "model-api" })
            if (builder.Configuration[$"services:{service}:http:0"] is null)
                builder.Configuration[$"services:{service}:http:0"] = OwnAddress(builder.Configuration["urls"]);
        // The four services are one process: their credential for each other is made here, and never leaves it.
        var serviceKey = $"{AuthOptions.Section}:ServiceKey";
        if (string.IsNullOrEmpty(builder.Configuration[serviceKey])) builder.Configuration[serviceKey] = ApiKeySecret.Create().Text;
        builder.AddRegistryModule();
        builder.AddPipelineWorkerModule();
        builder.AddFeatureApiModule();
        builder.AddModelApiModule();
        builder.AddMessaging(BusKind.RabbitMqOrInMemory,
            RegistryModule.RegisterConsumers, PipelineWorkerModule.RegisterConsumers, FeatureApiModule.RegisterConsumers);
        builder.Services.AddOptions<FirstRunOptions>().BindConfiguration("FeatureStore:Sample");
        builder.Services.AddHostedService<FirstAdminKey>();
        builder.Services.AddHostedService<FirstRunSample>();
        builder.AddWeb(UiPathBase);
        builder.AddApiEndpoints(typeof(RegistryModule).Assembly, typeof(PipelineWorkerModule).Assembly,
            typeof(FeatureApiModule).Assembly, typeof(ModelApiModule).Assembly);
        return builder;
    }

    /// <summary>The first address the host listens on (Kestrel's default when none is set), as it calls itself.</summary>
    private static string OwnAddress(string? urls) =>
        Loopback((urls ?? "http://localhost:5000").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)[0]);

    /// <summary>A listening address with a wildcard host (<c>*</c>, <c>+</c>, <c>0.0.0.0</c>, <c>[::]</c>) made the loopback
    /// address to call.</summary>
    public static string Loopback(string address) =>
        address.Replace("://*", "://127.0.0.1").Replace("://+", "://127.0.0.1").Replace("://0.0.0.0", "://127.0.0.1")
            .Replace("://[::]", "://127.0.0.1");
}
