namespace FeatureStore.Domain.Security;

/// <summary>
/// Projects are isolated in storage, the one rule: every project's source data lives under its own prefix
/// <c>sources/{project}/</c> of the one bucket, and a data source of project P may read an object only
///
/// <list type="bullet">
/// <item>under P's own prefix, or</item>
/// <item>under another project O's prefix when O shares exactly that object with P: a permission of O covers one of O's own
/// data sources whose path is that path, grants <c>read_offline</c>, and lists P in its <c>projects</c>.</item>
/// </list>
///
/// Nothing outside <c>sources/</c> is ever a source: <c>offline/…</c>, <c>pushes/…</c>, <c>datasets/…</c> and <c>models/…</c>
/// hold what the services write, and a source over them would read another project's features or models around every
/// check. Why a rule at all: keys and permissions guard the API, but a source's path names an object directly, so without
/// this a writer of one project could define a source over another project's raw data and materialize it into its own.
/// The owner decides what it shares, and may withdraw it: the registry checks the rule when a source is applied, and the
/// pipeline checks it again, with the owner's permissions as they are then, before it reads anything. Writing is never
/// shared: an upload stores data only under the uploading project's own prefix (<see cref="WriteRefusal"/>).
/// </summary>
public static class SourceScope
{
    /// <summary>The folder of the bucket that holds every project's source data.</summary>
    public const string Root = "sources";

    /// <summary>Where <paramref name="project"/>'s own source data lives: <c>sources/{project}/</c>.</summary>
    public static string PrefixOf(string project) => $"{Root}/{project}/";

    /// <summary>
    /// The project whose prefix <paramref name="path"/> lies under (<c>sources/{owner}/…</c>, at least one name below it, no
    /// segment that is empty, <c>.</c> or <c>..</c>), or null when it lies under none.
    /// </summary>
    public static string? OwnerOf(string? path)
    {
        if (string.IsNullOrEmpty(path) || path.Contains('\\')) return null;
        var segments = path.Split('/');
        return segments.Length >= 3 && segments[0] == Root && Names.IsValid(segments[1])
               && segments.All(s => s.Length > 0 && s != "." && s != "..")
            ? segments[1]
            : null;
    }

    /// <summary>Whether <paramref name="path"/> lies under <paramref name="project"/>'s own prefix.</summary>
    public static bool IsOwn(string project, string? path) => OwnerOf(path) == project;

    /// <summary>
    /// The project whose permissions decide whether <paramref name="project"/> may read <paramref name="path"/>: the owner of
    /// the path when that is another project, else null (an own path needs nothing more, and a path outside every prefix is
    /// refused whatever anyone declares).
    /// </summary>
    public static string? SharerOf(string project, string? path) => OwnerOf(path) is { } owner && owner != project ? owner : null;

    /// <summary>
    /// Why a data source of <paramref name="project"/> may not read <paramref name="path"/>, in words usable as a field error
    /// and as a job error (naming the path and the projects); null when it may.
    /// </summary>
    /// <param name="ownerPermissions">The current permissions of <see cref="SharerOf"/>'s project (ignored when it is null).</param>
    /// <param name="ownerSources">The current data sources of that project.</param>
    public static string? Refusal(string project, string path, IReadOnlyList<PermissionDefinition> ownerPermissions,
        IReadOnlyList<DataSourceDefinition> ownerSources)
    {
        var owner = OwnerOf(path);
        if (owner == project) return null;
        if (owner is null)
            return $"'{path}' lies under no project's prefix: a data source of project '{project}' reads only under "
                   + $"'{PrefixOf(project)}' (or a path another project shares with it), and nothing else in the store "
                   + $"('offline/', 'pushes/', 'datasets/', 'models/', '{Root}/' itself) is ever a source";
        return SharedWith(project, path, ownerPermissions, ownerSources) ? null
            : $"'{path}' belongs to project '{owner}' (under '{PrefixOf(owner)}'), which does not share it with project "
              + $"'{project}': a data source of '{project}' reads under '{PrefixOf(project)}', or a path whose project declares a "
              + $"permission that covers its own data source at exactly that path, grants read_offline and lists '{project}' "
              + "in projects";
    }

    /// <summary>Whether the owner of <paramref name="path"/> shares it with <paramref name="project"/> (see the class).</summary>
    private static bool SharedWith(string project, string path, IReadOnlyList<PermissionDefinition> ownerPermissions,
        IReadOnlyList<DataSourceDefinition> ownerSources) =>
        ownerSources.Any(source => source.Path == path && source.Project == OwnerOf(path)
            && ownerPermissions.Any(permission => permission.Project == source.Project
                && permission.Actions.Contains(FeatureAction.ReadOffline)
                && (permission.Projects ?? []).Contains(project)
                && permission.Covers(ObjectKind.DataSource, source.Name, source.Metadata.Tags)));

    /// <summary>Why project <paramref name="project"/> may not write source data at <paramref name="path"/> (an upload): only
    /// its own prefix is ever written, a share grants reading alone. Null when it may.</summary>
    public static string? WriteRefusal(string project, string path) => IsOwn(project, path) ? null
        : $"'{path}' is not under project '{project}''s prefix '{PrefixOf(project)}': source data is written only under its "
          + "own project's prefix (another project's share grants reading, never writing)";

    /// <summary>
    /// <see cref="Refusal"/> with the owner's permissions and data sources as they are now, read with <paramref name="list"/>
    /// (the latest live objects of a kind in a project) only when the path is another project's.
    /// </summary>
    public static async Task<string?> RefusalAsync(string project, string path,
        Func<string, ObjectKind, CancellationToken, Task<IReadOnlyList<IRegistryDefinition>>> list, CancellationToken cancellationToken)
    {
        if (SharerOf(project, path) is not { } owner) return Refusal(project, path, [], []);
        var permissions = (await list(owner, ObjectKind.Permission, cancellationToken)).OfType<PermissionDefinition>().ToList();
        IReadOnlyList<DataSourceDefinition> sources = permissions.Count == 0 ? []
            : (await list(owner, ObjectKind.DataSource, cancellationToken)).OfType<DataSourceDefinition>().ToList();
        return Refusal(project, path, permissions, sources);
    }

    /// <summary>
    /// <see cref="RefusalAsync(string, string, Func{string, ObjectKind, CancellationToken, Task{IReadOnlyList{IRegistryDefinition}}},
    /// CancellationToken)"/> through <paramref name="catalog"/>, for the services that read source data: a share may have been
    /// withdrawn since the source was applied.
    /// </summary>
    public static Task<string?> RefusalAsync(IDefinitionCatalog catalog, string project, string path,
        CancellationToken cancellationToken) => RefusalAsync(project, path, catalog.ListAsync, cancellationToken);
}
