namespace FeatureStore.Domain.Security;

/// <summary>A project's permissions as a service knows them: from its definition cache where it keeps one (feature-api, whose
/// every read may need them), else from its <see cref="IDefinitionCatalog"/>.</summary>
public interface IPermissionSource
{
    ValueTask<IReadOnlyList<PermissionDefinition>> PermissionsAsync(string project, CancellationToken cancellationToken);
}
