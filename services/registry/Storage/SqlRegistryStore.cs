using System.Data.Common;
using FeatureStore.Storage.Sql;

namespace FeatureStore.Registry.Storage;

/// <summary>
/// The registry's store on any ADO.NET source (PostgreSQL via Npgsql, SQLite), one SQL path for both, schema in
/// <see cref="RegistrySchema"/>. One class serves every role interface; each role's SQL is in its own partial file.
/// </summary>
public sealed partial class SqlRegistryStore(DbDataSource dataSource, SqlDialect dialect)
    : IDefinitionStore, IOutboxStore, IJobStore, IJobProgressStore, IOfflineCatalog, IScheduleStore, IModelUseStore,
      IApiKeyStore, IAuditStore, IUsageStore, IFeatureLogStore, IFeatureSetStore
{
    public SqlRegistryStore(SqlDatabase database) : this(database.DataSource, database.Dialect) { }

    public SqlDialect Dialect => dialect;
}
