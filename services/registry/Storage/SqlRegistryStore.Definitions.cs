using System.Data.Common;
using FeatureStore.Domain;
using static FeatureStore.Storage.Sql.SqlCommands;

namespace FeatureStore.Registry.Storage;

/// <summary>Definitions and their versions: project snapshots, lookups, and commits under the project's lock.</summary>
public sealed partial class SqlRegistryStore
{
    private const string ObjectColumns = "o.kind, o.name, o.version, o.deleted, o.revision, o.created_at, o.definition";

    // The latest version of each object: the row whose version is the highest for its (project, kind, name).
    private const string LatestVersions = $"""
        SELECT {ObjectColumns} FROM registry_objects o
        WHERE o.project = @project AND o.version =
              (SELECT MAX(m.version) FROM registry_objects m WHERE m.project = o.project AND m.kind = o.kind AND m.name = o.name)
        """;

    public async Task<ProjectState> LoadProjectAsync(string project, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await LoadProjectAsync(connection, null, project, cancellationToken);
    }

    private static async Task<ProjectState> LoadProjectAsync(DbConnection connection, DbTransaction? transaction, string project,
        CancellationToken cancellationToken)
    {
        var latest = await QueryAsync(connection, transaction, LatestVersions, ReadObject, cancellationToken, ("project", project));
        var revision = await QueryAsync(connection, transaction,
            "SELECT revision, updated_at FROM registry_projects WHERE project = @project",
            r => (Revision: Convert.ToInt64(r.GetValue(0)), UpdatedAt: r.GetFieldValue<DateTimeOffset>(1)), cancellationToken,
            ("project", project));
        return new ProjectState(project, revision.FirstOrDefault().Revision, revision.Count > 0 ? revision[0].UpdatedAt : null,
            latest.Where(o => !o.Deleted).OrderBy(o => o.Kind).ThenBy(o => o.Name, StringComparer.Ordinal).ToList(),
            latest.ToDictionary(o => (o.Kind, o.Name), o => o.Version));
    }

    public async Task<StoredObject?> FindObjectAsync(string project, ObjectKind kind, string name, int? version,
        CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var sql = version is null
            ? $"SELECT {ObjectColumns} FROM registry_objects o WHERE o.project = @project AND o.kind = @kind AND o.name = @name " +
                "ORDER BY o.version DESC LIMIT 1"
            : $"SELECT {ObjectColumns} FROM registry_objects o WHERE o.project = @project AND o.kind = @kind AND o.name = @name " +
                "AND o.version = @version";
        var found = (await QueryAsync(connection, null, sql, ReadObject, cancellationToken,
            ("project", project), ("kind", kind.ToName()), ("name", name), ("version", version))).FirstOrDefault();
        return version is null && found is { Deleted: true } ? null : found;
    }

    public async Task<IReadOnlyList<StoredObject>> ListObjectsAsync(string project, ObjectKind? kind, CancellationToken cancellationToken)
    {
        var state = await LoadProjectAsync(project, cancellationToken);
        return kind is null ? state.Objects : state.Objects.Where(o => o.Kind == kind).ToList();
    }

    public async Task<IReadOnlyList<StoredObject>> ListVersionsAsync(string project, ObjectKind kind, string name,
        CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await QueryAsync(connection, null,
            $"SELECT {ObjectColumns} FROM registry_objects o WHERE o.project = @project AND o.kind = @kind AND o.name = @name " +
                "ORDER BY o.version",
            ReadObject, cancellationToken, ("project", project), ("kind", kind.ToName()), ("name", name));
    }

    public async Task<IReadOnlyList<StoredObject>> ListVersionsAsync(string project, ObjectKind kind, IReadOnlyCollection<string> names,
        CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var found = new List<StoredObject>();
        foreach (var chunk in names.Chunk(NamesPerQuery))
            found.AddRange(await QueryAsync(connection, null,
                $"SELECT {ObjectColumns} FROM registry_objects o WHERE o.project = @project AND o.kind = @kind " +
                    $"AND o.name IN ({InList("n", chunk.Length)}) ORDER BY o.name, o.version",
                ReadObject, cancellationToken, [("project", project), ("kind", kind.ToName()), .. Named("n", chunk)]));
        return found;
    }

    private const int NamesPerQuery = 500;

    /// <summary>Parameters <c>@{prefix}0</c> … for an <c>IN</c> list (both databases bind them; neither has a portable array).</summary>
    private static string InList(string prefix, int count) => string.Join(", ", Enumerable.Range(0, count).Select(i => $"@{prefix}{i}"));

    private static IEnumerable<(string, object?)> Named(string prefix, IEnumerable<string> values) =>
        values.Select((v, i) => ($"{prefix}{i}", (object?)v));

    public async Task<IReadOnlyList<ProjectSummary>> ListProjectsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var projects = await QueryAsync(connection, null, "SELECT project, revision, updated_at FROM registry_projects ORDER BY project",
            r => (Name: r.GetString(0), Revision: Convert.ToInt64(r.GetValue(1)), UpdatedAt: r.GetFieldValue<DateTimeOffset>(2)),
            cancellationToken);
        var summaries = new List<ProjectSummary>();
        foreach (var project in projects)
        {
            var state = await LoadProjectAsync(connection, null, project.Name, cancellationToken);
            summaries.Add(new ProjectSummary(project.Name, project.Revision, project.UpdatedAt,
                state.Objects.GroupBy(o => o.Kind).ToDictionary(g => g.Key, g => g.Count())));
        }
        return summaries;
    }

    public async Task<long> ProjectRevisionAsync(string project, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var revisions = await QueryAsync(connection, null, "SELECT revision FROM registry_projects WHERE project = @project",
            r => Convert.ToInt64(r.GetValue(0)), cancellationToken, ("project", project));
        return revisions.Count > 0 ? revisions[0] : 0;
    }

    public async Task<(T Result, long Revision)> CommitAsync<T>(string project, Func<ProjectState, (Changeset? Changes, T Result)> decide,
        CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (dialect.ProjectLock is { } projectLock)
            await ExecuteAsync(connection, transaction, projectLock, cancellationToken, ("project", project));
        var state = await LoadProjectAsync(connection, transaction, project, cancellationToken);
        var (changes, result) = decide(state);
        if (changes is null || changes.Writes.Count == 0)
        {
            await transaction.RollbackAsync(cancellationToken);
            return (result, state.Revision);
        }
        var revision = state.Revision + 1;
        var now = changes.Writes.Max(w => w.CreatedAt).ToUniversalTime();
        foreach (var write in changes.Writes)
            await ExecuteAsync(connection, transaction, """
                INSERT INTO registry_objects (project, kind, name, version, deleted, revision, created_at, definition)
                VALUES (@project, @kind, @name, @version, @deleted, @revision, @created, @definition)
                """, cancellationToken, ("project", project), ("kind", write.Kind.ToName()), ("name", write.Name),
                ("version", write.Version),
                ("deleted", write.Definition is null ? 1 : 0), ("revision", revision), ("created", write.CreatedAt.ToUniversalTime()),
                ("definition", write.Definition ?? "null"));
        await ExecuteAsync(connection, transaction, """
            INSERT INTO registry_projects (project, revision, updated_at) VALUES (@project, @revision, @updated)
            ON CONFLICT (project) DO UPDATE SET revision = excluded.revision, updated_at = excluded.updated_at
            """, cancellationToken, ("project", project), ("revision", revision), ("updated", now));
        foreach (var message in changes.Messages)
            await ExecuteAsync(connection, transaction,
                "INSERT INTO registry_outbox (id, message_type, payload, created_at) VALUES (@id, @type, @payload, @created)",
                cancellationToken, ("id", message.Id.ToString("D")), ("type", message.MessageType), ("payload", message.Payload),
                ("created", message.CreatedAt.ToUniversalTime()));
        await transaction.CommitAsync(cancellationToken);
        return (result, revision);
    }

    private static StoredObject ReadObject(DbDataReader r) => new(
        ObjectKinds.TryParse(r.GetString(0), out var kind)
            ? kind
            : throw new InvalidDataException($"unknown object kind '{r.GetString(0)}'"),
        r.GetString(1), Convert.ToInt32(r.GetValue(2)), Convert.ToInt32(r.GetValue(3)) != 0, Convert.ToInt64(r.GetValue(4)),
        r.GetFieldValue<DateTimeOffset>(5), r.GetString(6));
}
