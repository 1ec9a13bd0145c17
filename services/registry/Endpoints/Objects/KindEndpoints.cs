using FeatureStore.Domain;
using FeatureStore.Storage.Registry;

namespace FeatureStore.Registry.Endpoints.Objects;

// One class per route: list, get, get a version, list versions, for each kind of object.

public sealed class ListEntities(IRegistryStore store) : ListObjectsEndpoint<EntityDefinition>(store) { protected override ObjectKind Kind => ObjectKind.Entity; }
public sealed class GetEntity(IRegistryStore store) : GetObjectEndpoint<EntityDefinition>(store) { protected override ObjectKind Kind => ObjectKind.Entity; }
public sealed class GetEntityVersion(IRegistryStore store) : GetObjectVersionEndpoint<EntityDefinition>(store) { protected override ObjectKind Kind => ObjectKind.Entity; }
public sealed class ListEntityVersions(IRegistryStore store) : ListObjectVersionsEndpoint(store) { protected override ObjectKind Kind => ObjectKind.Entity; }

public sealed class ListDataSources(IRegistryStore store) : ListObjectsEndpoint<DataSourceDefinition>(store) { protected override ObjectKind Kind => ObjectKind.DataSource; }
public sealed class GetDataSource(IRegistryStore store) : GetObjectEndpoint<DataSourceDefinition>(store) { protected override ObjectKind Kind => ObjectKind.DataSource; }
public sealed class GetDataSourceVersion(IRegistryStore store) : GetObjectVersionEndpoint<DataSourceDefinition>(store) { protected override ObjectKind Kind => ObjectKind.DataSource; }
public sealed class ListDataSourceVersions(IRegistryStore store) : ListObjectVersionsEndpoint(store) { protected override ObjectKind Kind => ObjectKind.DataSource; }

public sealed class ListFeatureViews(IRegistryStore store) : ListObjectsEndpoint<FeatureViewDefinition>(store) { protected override ObjectKind Kind => ObjectKind.FeatureView; }
public sealed class GetFeatureView(IRegistryStore store) : GetObjectEndpoint<FeatureViewDefinition>(store) { protected override ObjectKind Kind => ObjectKind.FeatureView; }
public sealed class GetFeatureViewVersion(IRegistryStore store) : GetObjectVersionEndpoint<FeatureViewDefinition>(store) { protected override ObjectKind Kind => ObjectKind.FeatureView; }
public sealed class ListFeatureViewVersions(IRegistryStore store) : ListObjectVersionsEndpoint(store) { protected override ObjectKind Kind => ObjectKind.FeatureView; }

public sealed class ListOnDemandFeatureViews(IRegistryStore store) : ListObjectsEndpoint<OnDemandFeatureViewDefinition>(store) { protected override ObjectKind Kind => ObjectKind.OnDemandFeatureView; }
public sealed class GetOnDemandFeatureView(IRegistryStore store) : GetObjectEndpoint<OnDemandFeatureViewDefinition>(store) { protected override ObjectKind Kind => ObjectKind.OnDemandFeatureView; }
public sealed class GetOnDemandFeatureViewVersion(IRegistryStore store) : GetObjectVersionEndpoint<OnDemandFeatureViewDefinition>(store) { protected override ObjectKind Kind => ObjectKind.OnDemandFeatureView; }
public sealed class ListOnDemandFeatureViewVersions(IRegistryStore store) : ListObjectVersionsEndpoint(store) { protected override ObjectKind Kind => ObjectKind.OnDemandFeatureView; }

public sealed class ListFeatureServices(IRegistryStore store) : ListObjectsEndpoint<FeatureServiceDefinition>(store) { protected override ObjectKind Kind => ObjectKind.FeatureService; }
public sealed class GetFeatureService(IRegistryStore store) : GetObjectEndpoint<FeatureServiceDefinition>(store) { protected override ObjectKind Kind => ObjectKind.FeatureService; }
public sealed class GetFeatureServiceVersion(IRegistryStore store) : GetObjectVersionEndpoint<FeatureServiceDefinition>(store) { protected override ObjectKind Kind => ObjectKind.FeatureService; }
public sealed class ListFeatureServiceVersions(IRegistryStore store) : ListObjectVersionsEndpoint(store) { protected override ObjectKind Kind => ObjectKind.FeatureService; }
