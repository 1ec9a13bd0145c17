namespace FeatureStore.ModelApi;

/// <summary>The model-api service as a module. It has no dependencies yet: nothing to train or serve.</summary>
public static class ModelApiModule
{
    public static TBuilder AddModelApiModule<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder => builder;

    public static TBuilder AddModelApi<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.AddModelApiModule();
        builder.AddApiEndpoints(typeof(ModelApiModule).Assembly);
        return builder;
    }
}
