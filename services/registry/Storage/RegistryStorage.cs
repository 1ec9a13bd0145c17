using FeatureStore.Storage.Sql;

namespace FeatureStore.Registry.Storage;

public static class RegistryStorage
{
    /// <summary>The registry's database: <c>ConnectionStrings:registry</c>, or <c>registry.db</c> under the data directory.</summary>
    public const string Connection = "registry";

    /// <summary>The registry's own database, its schema migrated at start, and the store behind each of its role interfaces.</summary>
    public static TBuilder AddRegistryStore<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        if (builder.Services.Any(s => s.ServiceType == typeof(SqlRegistryStore))) return builder;
        builder.AddSqlStore(Connection, RegistrySchema.Schema, database => new SqlRegistryStore(database));
        builder.Services.AddSingleton<IDefinitionStore>(Store).AddSingleton<IOutboxStore>(Store).AddSingleton<IJobStore>(Store)
            .AddSingleton<IJobProgressStore>(Store).AddSingleton<IOfflineCatalog>(Store).AddSingleton<IScheduleStore>(Store)
            .AddSingleton<IModelUseStore>(Store)
            .AddSingleton<IFeatureSetStore>(Store).AddSingleton<IApiKeyStore>(Store).AddSingleton<IAuditStore>(Store)
            .AddSingleton<IUsageStore>(Store)
            .AddSingleton<IFeatureLogStore>(Store).AddSingleton<IOfflineCompactionStore>(Store);
        return builder;
    }

    private static SqlRegistryStore Store(IServiceProvider services) => services.GetRequiredService<SqlRegistryStore>();
}
