using System.Text.Json;
using FeatureStore.Api;
using FeatureStore.Contracts;
using FeatureStore.Domain;
using FeatureStore.Registry.Infrastructure;
using FeatureStore.Registry.Storage;
using FeatureStore.Storage.Objects;
using Microsoft.Extensions.Options;

namespace FeatureStore.Registry.Definitions;

/// <param name="Authorize">Called with the project the document names, before anything of it is read: throws when the caller may
/// not apply (or plan) there.</param>
/// <param name="AuthorizeChanges">Called before a commit with the kinds of object it creates, changes or deletes: throws when
/// the caller may not change one of them (permissions are an admin's).</param>
public sealed record ApplyRequest(string Body, bool Yaml, bool DryRun, bool Prune, bool Force, IReadOnlyList<string> IfMatch,
    Action<string>? Authorize = null, Action<IReadOnlySet<ObjectKind>>? AuthorizeChanges = null);

/// <summary>
/// Applies a repository definition (refusals: invalid input, conflicts — breaking changes or endless contention —,
/// a stale If-Match): read, bind strictly, check every object and reference, plan, and
/// commit atomically, or only report the plan (dry run). The plan is made against a snapshot; if the
/// project moves on before the commit takes its lock, the whole apply runs again on the new state.
/// </summary>
public sealed class ApplyService(IDefinitionStore store, IOfflineCatalog catalog, IObjectStore objects, OutboxSignal outbox,
    TimeProvider clock, IOptions<DocumentLimits> limits)
{
    private const int Attempts = 5;

    private sealed class SnapshotMovedException : Exception;

    public async Task<ApplyResultDto> ApplyAsync(ApplyRequest request, CancellationToken cancellationToken)
    {
        var errors = new List<FieldError>();
        var node = RepositoryDocument.Parse(request.Body, request.Yaml, limits.Value, errors);
        var document = errors.Count == 0 ? StrictBinder.Bind<RepositoryDto>(node, DefinitionJson.Options, errors) : null;
        if (document is null) throw FieldErrors.Invalid(errors);
        var project = Names.ProjectOrDefault(document.Project);
        if (!Names.IsValid(project)) errors.Add(new FieldError("project", $"must be a project name that {Names.Rule}"));
        else request.Authorize?.Invoke(project);
        var specs = FileSpecs.Read(project, document, errors);
        if (errors.Count > 0 && !Names.IsValid(project)) throw Problems(errors);

        for (var attempt = 1; ; attempt++)
        {
            var snapshot = await store.LoadProjectAsync(project, cancellationToken);
            var (desired, changed) = await ResolveAsync(specs, snapshot, request.Prune, errors, cancellationToken);
            if (errors.Count > 0) throw Problems(errors);
            var histories = await HistoriesAsync(changed, snapshot, cancellationToken);
            if (request.DryRun)
            {
                RefuseStale(request.IfMatch, snapshot);
                return Result(project, request, applied: false, snapshot.Revision,
                    Planner.Make(desired, snapshot, request.Prune, clock.GetUtcNow(), histories));
            }
            request.AuthorizeChanges?.Invoke(changed.Select(c => c.Item1).Concat(request.Prune
                ? snapshot.Objects.Where(o => !desired.Contains(o.Kind, o.Name)).Select(o => o.Kind)
                : []).ToHashSet());
            try
            {
                var (plan, revision) = await store.CommitAsync(project, current =>
                {
                    if (current.Revision != snapshot.Revision) throw new SnapshotMovedException();
                    RefuseStale(request.IfMatch, current);
                    var plan = Planner.Make(desired, current, request.Prune, clock.GetUtcNow(), histories);
                    if (!request.Force && plan.Breaking.Any())
                        throw new ConflictException(plan.Breaking.SelectMany(c => c.BreakingReasons.Select(r =>
                            new FieldError(c.Path, $"breaking: {r}; apply with force=true to accept it"))).ToList());
                    return (Changes(project, current.Revision + 1, plan), plan);
                }, cancellationToken);
                if (plan.Executed.Any()) outbox.Kick();
                return Result(project, request, applied: plan.Executed.Any(), revision, plan);
            }
            catch (SnapshotMovedException) when (attempt < Attempts)
            {
                // Another apply committed in between: plan again on what it left.
            }
            catch (SnapshotMovedException)
            {
                throw new ConflictException([new FieldError(RepositoryDocument.BodyField,
                    $"project '{project}' kept changing under {Attempts} attempts to apply; try again")]);
            }
        }
    }

    /// <summary>The desired state, resolved and checked, and the objects in it that differ from what is stored.</summary>
    private async Task<(DesiredState Desired, IReadOnlySet<(ObjectKind, string)> Changed)> ResolveAsync(FileSpecs specs,
        ProjectState snapshot, bool prune,
        List<FieldError> errors, CancellationToken cancellationToken)
    {
        var desired = new DesiredState(snapshot.Project);
        foreach (var (definition, path) in specs.Objects) desired.Set(definition, path, inFile: true);
        if (!prune)
            foreach (var stored in snapshot.Objects.Where(o => !desired.Contains(o.Kind, o.Name)))
                desired.Set(stored.Read(), $"{stored.Kind.CollectionName()}[{stored.Name}]", inFile: false);
        var broken = new HashSet<(ObjectKind, string)>(specs.Broken);
        // Before anything resolves or reads a source: a refused one must not lend its object to a view or a schema check.
        await new SourceScopeCheck(store, errors).CheckAsync(desired, broken, cancellationToken);
        await new Resolver(store, snapshot, errors, broken).ResolveAsync(desired, cancellationToken);
        var current = snapshot.Objects.ToDictionary(o => (o.Kind, o.Name), o => DefinitionJson.Canonical(o.Read()));
        var changed = desired.Objects.Select(o => o.Definition)
            .Where(d => !current.TryGetValue((d.Kind, d.Name), out var stored) || stored != DefinitionJson.Canonical(d))
            .Select(d => (d.Kind, d.Name)).ToHashSet();
        await new SchemaChecks(errors).CheckAsync(desired, new SourceSchemaReader(objects), d => changed.Contains((d.Kind, d.Name)),
            cancellationToken);
        return (desired, changed);
    }

    /// <summary>
    /// For each view the apply creates or changes: its stored versions (the history of a new version may be an earlier
    /// one's), and what the history of its current version covers (a restarted history needs that backfilled).
    /// </summary>
    private async Task<HistoryContext> HistoriesAsync(IReadOnlySet<(ObjectKind Kind, string Name)> changedObjects, ProjectState snapshot,
        CancellationToken cancellationToken)
    {
        var changed = changedObjects.Where(o => o.Kind == ObjectKind.FeatureView).Select(o => o.Name).ToList();
        if (changed.Count == 0) return HistoryContext.Empty;
        // Two queries whatever the number of views: an apply that changes five hundred views stays one round trip each.
        var versions = (await store.ListVersionsAsync(snapshot.Project, ObjectKind.FeatureView, changed, cancellationToken))
            .Where(v => !v.Deleted).GroupBy(v => v.Name)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<FeatureViewDefinition>)g.Select(v => v.Read<FeatureViewDefinition>()).ToList());
        var commits = await catalog.ListOfflineCommitsAsync(snapshot.Project, changed, cancellationToken);
        return new HistoryContext(versions, commits.ToDictionary(c => c.Key, c => OfflineVisibility.Covered(c.Value)));
    }

    /// <summary>Every problem once: a field the binder already reported raises no second error from the checks after it.</summary>
    private static InvalidRequestException Problems(List<FieldError> errors) => FieldErrors.Invalid(errors.DistinctBy(e => e.Field));

    private static void RefuseStale(IReadOnlyList<string> ifMatch, ProjectState state)
    {
        if (ETags.Stale(ifMatch, state) is { Count: > 0 } stale)
            throw new PreconditionFailedException(stale.Select(tag => new FieldError("If-Match",
                $"{tag} is no longer current (the project is at {ETags.ForProject(state.Project, state.Revision)})")).ToList());
    }

    /// <summary>What a commit stores: new versions and tombstones, plus the events to publish once committed.</summary>
    private Changeset Changes(string project, long revision, Plan plan)
    {
        var now = clock.GetUtcNow();
        var executed = plan.Executed.ToList();
        var writes = executed.Select(c => new ObjectWrite(c.Kind, c.Name, c.ToVersion!.Value,
            c.Stamped is null ? null : DefinitionJson.Serialize(c.Stamped), now)).ToList();
        var messages = new List<OutboxMessage>();
        foreach (var change in executed.Where(c => c.Kind == ObjectKind.FeatureView))
            messages.Add(change.Action == PlannedAction.Delete
                ? Message(new FeatureViewDeleted(project, change.Name, change.ToVersion!.Value), now)
                : Message(new FeatureViewApplied(project, change.Name, change.ToVersion!.Value), now));
        messages.Add(Message(new RegistryChanged(project, revision,
            executed.Select(c => new RegistryChange(c.Kind.ToName(), c.Name, c.Action.ToString().ToLowerInvariant(),
                c.ToVersion!.Value)).ToList()), now));
        return new Changeset(writes, messages);
    }

    private static OutboxMessage Message<T>(T message, DateTimeOffset now) where T : class =>
        new(Guid.NewGuid(), typeof(T).FullName!, JsonSerializer.Serialize(message, DefinitionJson.Options), now);

    private static ApplyResultDto Result(string project, ApplyRequest request, bool applied, long revision, Plan plan) => new(
        project, request.DryRun, applied, revision,
        new PlanSummaryDto(
            plan.Changes.Count(c => c.Action == PlannedAction.Create),
            plan.Changes.Count(c => c.Action == PlannedAction.Update),
            plan.Changes.Count(c => c.Action == PlannedAction.Delete),
            plan.Changes.Count(c => c.Action == PlannedAction.Unchanged),
            plan.Changes.Count(c => c.BreakingReasons.Count > 0)),
        plan.Changes.Select(c => new ObjectChangeDto(c.Kind.ToName(), c.Name, c.Action.ToString().ToLowerInvariant(),
            c.FromVersion, c.ToVersion,
            c.BreakingReasons.Count > 0, c.BreakingReasons.Concat(c.Notes).ToList(), c.Diff, c.Executed && !request.DryRun,
            c.History)).ToList());
}
