using System.Text.Json.Nodes;
using FeatureStore.Contracts;
using FeatureStore.Domain;
using FeatureStore.Registry.Storage;

namespace FeatureStore.Registry.Definitions;

public enum PlannedAction { Create, Update, Delete, Unchanged }

/// <summary>One object's fate in a plan. <see cref="Stamped"/> is the new version for creates and updates.</summary>
public sealed record PlannedChange(
    ObjectKind Kind, string Name, string Path, PlannedAction Action, int? FromVersion, int? ToVersion,
    IReadOnlyList<string> BreakingReasons, IReadOnlyList<string> Notes, IReadOnlyList<FieldChangeDto> Diff, bool Executed,
    IRegistryDefinition? Stamped, HistoryPlanDto? History = null);

public sealed record Plan(IReadOnlyList<PlannedChange> Changes)
{
    public IEnumerable<PlannedChange> Executed => Changes.Where(c => c.Executed && c.Action != PlannedAction.Unchanged);
    public IEnumerable<PlannedChange> Breaking => Executed.Where(c => c.BreakingReasons.Count > 0);
}

/// <summary>
/// Compares what should be with what is: a pure function of both, so a dry run and the real apply (run
/// again under the project's lock) plan the same way. Breaking changes are judged against what current
/// objects use: a type change, a removed feature that a service or on-demand view uses, changed join
/// keys, or deleting something still in use. A new view version is given its offline history (<see cref="HistoryPlan"/>).
/// </summary>
public static class Planner
{
    public static Plan Make(DesiredState desired, ProjectState current, bool prune, DateTimeOffset now, HistoryContext? histories = null)
    {
        histories ??= HistoryContext.Empty;
        // Each stored definition is read once per plan; the usage index and the comparisons share them.
        var stored = current.Objects.ToDictionary(o => (o.Kind, o.Name), o => (Object: o, Definition: o.Read()));
        var uses = Usage.Of(stored.Values.Select(s => s.Definition));
        var changes = new List<PlannedChange>();
        foreach (var (definition, path, inFile) in desired.Objects.OrderBy(o => o.Definition.Kind)
            .ThenBy(o => o.Definition.Name, StringComparer.Ordinal))
        {
            var next = current.NextVersion(definition.Kind, definition.Name);
            var notes = inFile ? new List<string>() : ["absent from the file: kept, because prune is off"];
            if (!stored.TryGetValue((definition.Kind, definition.Name), out var existing))
            {
                var (created, createNote, createHistory) = HistoryPlan.Stamp(definition, next, now, null, histories);
                if (createNote is not null) notes.Add(createNote);
                changes.Add(new PlannedChange(definition.Kind, definition.Name, path, PlannedAction.Create, null, next, [], notes, [],
                    Executed: true, created, createHistory));
                continue;
            }
            var (before, after) = (DefinitionJson.Canonical(existing.Definition), DefinitionJson.Canonical(definition));
            // Most objects of a repeated apply are unchanged: equal texts need no tree diff.
            var diff = before == after ? [] : JsonDiff.Compare(JsonNode.Parse(before), JsonNode.Parse(after));
            if (diff.Count == 0)
            {
                var action = inFile ? PlannedAction.Unchanged : PlannedAction.Delete;
                changes.Add(new PlannedChange(definition.Kind, definition.Name, path, action, existing.Object.Version,
                    existing.Object.Version, [],
                    inFile ? [] : ["absent from the file: removed only with prune=true"], [], Executed: false, null));
                continue;
            }
            if (!inFile) notes.Add("updated because something it uses changed");
            var (stamped, historyNote, history) = HistoryPlan.Stamp(definition, next, now, existing.Definition, histories);
            if (historyNote is not null) notes.Add(historyNote);
            changes.Add(new PlannedChange(definition.Kind, definition.Name, path, PlannedAction.Update, existing.Object.Version, next,
                BreakingReasons(existing.Definition, definition, uses), notes, diff, Executed: true, stamped, history));
        }
        foreach (var absent in current.Objects.Where(o => !desired.Contains(o.Kind, o.Name)))
        {
            var users = uses.Of(absent.Kind, absent.Name).Where(u => desired.Contains(u.Kind, u.Name) || !prune).ToList();
            var reasons = users.Select(u => $"{u.Kind.ToName()} '{u.Name}' uses it").ToList();
            changes.Add(new PlannedChange(absent.Kind, absent.Name, $"{absent.Kind.CollectionName()}[{absent.Name}]", PlannedAction.Delete,
                absent.Version, prune ? absent.Version + 1 : null, prune ? reasons : [],
                prune ? [] : ["absent from the file: removed only with prune=true"], [], Executed: prune, null));
        }
        return new Plan(changes);
    }

    private static List<string> BreakingReasons(IRegistryDefinition before, IRegistryDefinition after, Usage uses)
    {
        var reasons = new List<string>();
        switch (before, after)
        {
            case (EntityDefinition old, EntityDefinition now) when !old.JoinKeys.SequenceEqual(now.JoinKeys):
                reasons.Add($"join keys change from ({Keys(old.JoinKeys)}) to ({Keys(now.JoinKeys)}): " +
                    "values already stored online are keyed by the old ones");
                break;
            case (FeatureViewDefinition old, FeatureViewDefinition now):
                Compare(old.Name, ObjectKind.FeatureView, old.Features.Select(f => (f.Name, f.Type)),
                    now.Features.Select(f => (f.Name, f.Type)), uses, reasons);
                break;
            case (OnDemandFeatureViewDefinition old, OnDemandFeatureViewDefinition now):
                Compare(old.Name, ObjectKind.OnDemandFeatureView, old.Features.Select(f => (f.Name, f.Type)),
                    now.Features.Select(f => (f.Name, f.Type)), uses, reasons);
                break;
        }
        return reasons;
    }

    private static void Compare(string view, ObjectKind kind, IEnumerable<(string Name, FeatureValueType Type)> before,
        IEnumerable<(string Name, FeatureValueType Type)> after, Usage uses, List<string> reasons)
    {
        var now = after.ToDictionary(f => f.Name, f => f.Type);
        foreach (var (name, type) in before)
        {
            if (now.TryGetValue(name, out var newType))
            {
                if (newType != type) reasons.Add($"feature '{name}' changes type from {type.ToName()} to {newType.ToName()}");
            }
            else if (uses.OfFeature(kind, view, name) is { Count: > 0 } users)
                reasons.Add($"feature '{name}' is removed but " +
                    $"{string.Join(", ", users.Select(u => $"{u.Kind.ToName()} '{u.Name}'"))} uses it");
        }
    }

    private static string Keys(IEnumerable<JoinKey> keys) => string.Join(", ", keys.Select(k => $"{k.Name}: {k.Type.ToName()}"));

    /// <summary>Who uses what among the current objects: whole objects, and single features of views.</summary>
    private sealed class Usage
    {
        private readonly Dictionary<(ObjectKind, string), List<(ObjectKind Kind, string Name)>> _objects = [];
        private readonly Dictionary<(ObjectKind, string, string), List<(ObjectKind Kind, string Name)>> _features = [];

        public static Usage Of(IEnumerable<IRegistryDefinition> definitions)
        {
            var usage = new Usage();
            foreach (var definition in definitions)
            {
                var user = (definition.Kind, definition.Name);
                foreach (var used in definition.DependsOn()) Add(usage._objects, used, user);
                if (definition is FeatureServiceDefinition service)
                    foreach (var feature in service.Features.Where(f => f.PinnedVersion is null))
                        Add(usage._features, (feature.ViewKind, feature.View, feature.Feature), user);
                if (definition is OnDemandFeatureViewDefinition onDemand)
                    foreach (var input in onDemand.Inputs) Add(usage._features, (ObjectKind.FeatureView, input.View, input.Feature), user);
            }
            return usage;
        }

        public List<(ObjectKind Kind, string Name)> Of(ObjectKind kind, string name) => _objects.GetValueOrDefault((kind, name)) ?? [];

        public List<(ObjectKind Kind, string Name)> OfFeature(ObjectKind kind, string view, string feature) =>
            _features.GetValueOrDefault((kind, view, feature)) ?? [];

        private static void Add<TKey>(Dictionary<TKey, List<(ObjectKind, string)>> index, TKey key, (ObjectKind, string) user)
            where TKey : notnull
        {
            if (!index.TryGetValue(key, out var users)) index[key] = users = [];
            if (!users.Contains(user)) users.Add(user);
        }
    }
}
