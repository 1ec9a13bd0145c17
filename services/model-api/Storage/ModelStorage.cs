using FeatureStore.Storage.Sql;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace FeatureStore.ModelApi.Storage;

public static class ModelStorage
{
    /// <summary>
    /// Where model-api keeps its tables: the <c>registry</c> database of docs/architecture.md's resource table
    /// (<c>ConnectionStrings:registry</c>,
    /// or <c>registry.db</c> under the data directory), beside the registry's tables but never touching them: model-api owns
    /// its schema and migrates it itself, under its own history table and lock.
    /// </summary>
    public const string Connection = "registry";

    /// <summary>model-api's schema, migrated at start, and the model store on it.</summary>
    public static TBuilder AddModelStore<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.AddSqlStore<TBuilder, IModelStore>(Connection, ModelSchema.Schema, database => new SqlModelStore(database));
        builder.Services.TryAddSingleton<IPerformanceStore>(services =>
            new SqlPerformanceStore(services.GetRequiredKeyedService<SqlDatabase>(Connection)));
        return builder;
    }
}
