using FeatureStore.Api;
using FeatureStore.Domain;
using FeatureStore.Domain.Security;
using FeatureStore.Registry.Storage;

namespace FeatureStore.Registry.Definitions;

/// <summary>
/// Applies <see cref="SourceScope"/> to the batch sources of an apply's file, with the current permissions and sources of each
/// project whose path one of them names (read once per project and kind). A refused source is an error at its <c>path</c> and
/// leaves the desired state as broken, so nothing after it (views over it, the schema checks) reads the object it names.
/// Sources kept from the registry are not applied again and are not checked here; the pipeline checks every read anyway.
/// </summary>
public sealed class SourceScopeCheck(IDefinitionStore store, List<FieldError> errors)
{
    private readonly Dictionary<(string, ObjectKind), IReadOnlyList<IRegistryDefinition>> _listed = [];

    public async Task CheckAsync(DesiredState state, ISet<(ObjectKind Kind, string Name)> broken, CancellationToken cancellationToken)
    {
        var sources = state.OfKind<DataSourceDefinition>(ObjectKind.DataSource)
            .Where(s => s.SourceKind == SourceKind.Batch && state.InFile(ObjectKind.DataSource, s.Name)).ToList();
        foreach (var source in sources)
        {
            if (await SourceScope.RefusalAsync(state.Project, source.Path, ListAsync, cancellationToken) is not { } reason) continue;
            errors.Add(new FieldError($"{state.PathOf(ObjectKind.DataSource, source.Name)}.path", reason));
            state.Remove(ObjectKind.DataSource, source.Name);
            broken.Add((ObjectKind.DataSource, source.Name));
        }
    }

    private async Task<IReadOnlyList<IRegistryDefinition>> ListAsync(string project, ObjectKind kind, CancellationToken cancellationToken)
    {
        if (!_listed.TryGetValue((project, kind), out var listed))
            _listed[(project, kind)] = listed =
                (await store.ListObjectsAsync(project, kind, cancellationToken)).Select(o => o.Read()).ToList();
        return listed;
    }
}
