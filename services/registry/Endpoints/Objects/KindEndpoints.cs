using FeatureStore.Domain;
using FeatureStore.Registry.Storage;

namespace FeatureStore.Registry.Endpoints.Objects;

// One class per route (FastEndpoints maps classes): list, get, get a version, list versions, for each kind of object.

public sealed class ListEntities(IDefinitionStore store)
    : ListObjectsEndpoint<EntityDefinition>(store, ObjectKind.Entity);
public sealed class GetEntity(IDefinitionStore store)
    : GetObjectEndpoint<EntityDefinition>(store, ObjectKind.Entity);
public sealed class GetEntityVersion(IDefinitionStore store)
    : GetObjectVersionEndpoint<EntityDefinition>(store, ObjectKind.Entity);
public sealed class ListEntityVersions(IDefinitionStore store)
    : ListObjectVersionsEndpoint(store, ObjectKind.Entity);

public sealed class ListDataSources(IDefinitionStore store)
    : ListObjectsEndpoint<DataSourceDefinition>(store, ObjectKind.DataSource);
public sealed class GetDataSource(IDefinitionStore store)
    : GetObjectEndpoint<DataSourceDefinition>(store, ObjectKind.DataSource);
public sealed class GetDataSourceVersion(IDefinitionStore store)
    : GetObjectVersionEndpoint<DataSourceDefinition>(store, ObjectKind.DataSource);
public sealed class ListDataSourceVersions(IDefinitionStore store)
    : ListObjectVersionsEndpoint(store, ObjectKind.DataSource);

public sealed class ListFeatureViews(IDefinitionStore store)
    : ListObjectsEndpoint<FeatureViewDefinition>(store, ObjectKind.FeatureView);
public sealed class GetFeatureView(IDefinitionStore store)
    : GetObjectEndpoint<FeatureViewDefinition>(store, ObjectKind.FeatureView);
public sealed class GetFeatureViewVersion(IDefinitionStore store)
    : GetObjectVersionEndpoint<FeatureViewDefinition>(store, ObjectKind.FeatureView);
public sealed class ListFeatureViewVersions(IDefinitionStore store)
    : ListObjectVersionsEndpoint(store, ObjectKind.FeatureView);

public sealed class ListOnDemandFeatureViews(IDefinitionStore store)
    : ListObjectsEndpoint<OnDemandFeatureViewDefinition>(store, ObjectKind.OnDemandFeatureView);
public sealed class GetOnDemandFeatureView(IDefinitionStore store)
    : GetObjectEndpoint<OnDemandFeatureViewDefinition>(store, ObjectKind.OnDemandFeatureView);
public sealed class GetOnDemandFeatureViewVersion(IDefinitionStore store)
    : GetObjectVersionEndpoint<OnDemandFeatureViewDefinition>(store, ObjectKind.OnDemandFeatureView);
public sealed class ListOnDemandFeatureViewVersions(IDefinitionStore store)
    : ListObjectVersionsEndpoint(store, ObjectKind.OnDemandFeatureView);

public sealed class ListFeatureServices(IDefinitionStore store)
    : ListObjectsEndpoint<FeatureServiceDefinition>(store, ObjectKind.FeatureService);
public sealed class GetFeatureService(IDefinitionStore store)
    : GetObjectEndpoint<FeatureServiceDefinition>(store, ObjectKind.FeatureService);
public sealed class GetFeatureServiceVersion(IDefinitionStore store)
    : GetObjectVersionEndpoint<FeatureServiceDefinition>(store, ObjectKind.FeatureService);
public sealed class ListFeatureServiceVersions(IDefinitionStore store)
    : ListObjectVersionsEndpoint(store, ObjectKind.FeatureService);

public sealed class ListPermissions(IDefinitionStore store)
    : ListObjectsEndpoint<PermissionDefinition>(store, ObjectKind.Permission);
public sealed class GetPermission(IDefinitionStore store)
    : GetObjectEndpoint<PermissionDefinition>(store, ObjectKind.Permission);
public sealed class GetPermissionVersion(IDefinitionStore store)
    : GetObjectVersionEndpoint<PermissionDefinition>(store, ObjectKind.Permission);
public sealed class ListPermissionVersions(IDefinitionStore store)
    : ListObjectVersionsEndpoint(store, ObjectKind.Permission);
