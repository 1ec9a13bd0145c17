using FeatureStore.Api;
using FeatureStore.Domain;
using FeatureStore.Domain.Monitoring;
using FeatureStore.DuckDb.OnDemand;
using FeatureStore.Registry.Storage;

namespace FeatureStore.Registry.Definitions;

/// <summary>
/// Resolves references in dependency order (entities, sources, feature views, on-demand views,
/// feature services): each definition gets the current details of what it uses, so a change to an
/// entity or source gives every dependent a new version. Objects kept from the registry are resolved
/// again too; a reference that no longer resolves is an error at that object.
/// </summary>
public sealed class Resolver(IDefinitionStore store, ProjectState snapshot, List<FieldError> errors,
    ISet<(ObjectKind Kind, string Name)> broken)
{
    private void Fail(string path, string reason) => errors.Add(new FieldError(path, reason));

    /// <summary>A reference that does not resolve: an error, unless its target is already reported as invalid.</summary>
    private void Unresolved(ObjectKind targetKind, string target, string path, string reason)
    {
        if (!broken.Contains((targetKind, target))) Fail(path, reason);
    }

    private static string Kept(DesiredState state, ObjectKind kind, string name) =>
        state.InFile(kind, name) ? "" : " (kept from the registry; it is not in this file)";

    public async Task ResolveAsync(DesiredState state, CancellationToken cancellationToken)
    {
        foreach (var source in state.OfKind<DataSourceDefinition>(ObjectKind.DataSource).ToList()) ResolveSource(state, source);
        foreach (var view in state.OfKind<FeatureViewDefinition>(ObjectKind.FeatureView).ToList()) ResolveView(state, view);
        foreach (var view in state.OfKind<OnDemandFeatureViewDefinition>(ObjectKind.OnDemandFeatureView).ToList())
            ResolveOnDemand(state, view);
        foreach (var service in state.OfKind<FeatureServiceDefinition>(ObjectKind.FeatureService).ToList())
            await ResolveServiceAsync(state, service, cancellationToken);
    }

    private void ResolveSource(DesiredState state, DataSourceDefinition source)
    {
        if (source.SourceKind != SourceKind.Push) return;
        var path = state.PathOf(ObjectKind.DataSource, source.Name);
        var batch = state.Get<DataSourceDefinition>(ObjectKind.DataSource, source.BatchSource!);
        if (batch is null)
        {
            Unresolved(ObjectKind.DataSource, source.BatchSource!, $"{path}.batchSource",
                $"'{source.BatchSource}' is not a defined data source{Kept(state, ObjectKind.DataSource, source.Name)}");
            Drop(state, source);
            return;
        }
        if (batch.SourceKind != SourceKind.Batch)
        {
            Fail($"{path}.batchSource", $"'{batch.Name}' is a push source; a push source is backed by a batch source");
            Drop(state, source);
            return;
        }
        state.Set(source with
        {
            Path = batch.Path,
            TimestampField = batch.TimestampField,
            CreatedTimestampField = batch.CreatedTimestampField,
            Schema = source.Schema ?? batch.Schema,
        }, path, state.InFile(ObjectKind.DataSource, source.Name));
    }

    private void ResolveView(DesiredState state, FeatureViewDefinition view)
    {
        var path = state.PathOf(ObjectKind.FeatureView, view.Name);
        var kept = Kept(state, ObjectKind.FeatureView, view.Name);
        var ok = true;
        var entities = new List<ViewEntity>();
        for (var i = 0; i < view.Entities.Count; i++)
        {
            var entity = state.Get<EntityDefinition>(ObjectKind.Entity, view.Entities[i].Name);
            if (entity is null)
            {
                Unresolved(ObjectKind.Entity, view.Entities[i].Name, $"{path}.entities[{i}]",
                    $"entity '{view.Entities[i].Name}' is not defined{kept}");
                ok = false;
                continue;
            }
            entities.Add(new ViewEntity(entity.Name, entity.JoinKeys));
        }
        foreach (var clash in entities.SelectMany(e => e.JoinKeys).GroupBy(k => k.Name)
            .Where(g => g.Select(k => k.Type).Distinct().Count() > 1))
        {
            Fail($"{path}.entities", $"join key '{clash.Key}' has different types in different entities");
            ok = false;
        }
        var source = state.Get<DataSourceDefinition>(ObjectKind.DataSource, view.Source.Name);
        if (source is null)
        {
            Unresolved(ObjectKind.DataSource, view.Source.Name, $"{path}.source", $"data source '{view.Source.Name}' is not defined{kept}");
            ok = false;
        }
        if (!ok) { Drop(state, view); return; }

        var reserved = entities.SelectMany(e => e.JoinKeys).Select(k => k.Name)
            .Append(source!.TimestampField).Append(source.CreatedTimestampField).ToHashSet();
        for (var i = 0; i < view.Features.Count; i++)
            if (reserved.Contains(view.Features[i].Name))
            {
                Fail($"{path}.schema[{i}].name",
                    $"'{view.Features[i].Name}' is a join key or timestamp column of the source, not a feature");
                ok = false;
            }
            else if (FeatureNames.IsReserved(view.Features[i].Name))
            {
                Fail($"{path}.schema[{i}].name", $"'{view.Features[i].Name}' is reserved: {FeatureNames.ReservedReason}");
                ok = false;
            }
        if (!ok) { Drop(state, view); return; }
        state.Set(view with
        {
            Entities = entities,
            Source = new ViewSource(source.Name, source.SourceKind, source.Path, source.TimestampField, source.CreatedTimestampField,
                source.Schema),
        }, path, state.InFile(ObjectKind.FeatureView, view.Name));
    }

    private void ResolveOnDemand(DesiredState state, OnDemandFeatureViewDefinition view)
    {
        var path = state.PathOf(ObjectKind.OnDemandFeatureView, view.Name);
        var sources = new List<FeatureViewDefinition>();
        for (var i = 0; i < view.Sources.Count; i++)
        {
            if (state.Get<FeatureViewDefinition>(ObjectKind.FeatureView, view.Sources[i]) is { } source) sources.Add(source);
            else Unresolved(ObjectKind.FeatureView, view.Sources[i], $"{path}.sources[{i}]",
                $"feature view '{view.Sources[i]}' is not defined{Kept(state, ObjectKind.OnDemandFeatureView, view.Name)}");
        }
        if (sources.Count != view.Sources.Count) { Drop(state, view); return; }
        // The inputs are the source features the expressions name, bare or as view__feature.
        var inputs = sources.SelectMany(s => s.Features.Select(f => new OnDemandInput(s.Name, f.Name, f.Type)))
            .Where(i => view.Features.Any(f => OnDemandSql.Uses(f.Expression, i.View, i.Feature))).ToList();
        var resolved = view with { Inputs = inputs };
        // Which evaluator serves it online is decided here, once per version, and kept with it (feature-api follows it).
        state.Set(resolved with { Evaluation = OnDemandEvaluations.Decide(resolved) }, path,
            state.InFile(ObjectKind.OnDemandFeatureView, view.Name));
    }

    private async Task ResolveServiceAsync(DesiredState state, FeatureServiceDefinition service, CancellationToken cancellationToken)
    {
        var path = state.PathOf(ObjectKind.FeatureService, service.Name);
        var kept = Kept(state, ObjectKind.FeatureService, service.Name);
        var features = new List<ServiceFeature>();
        var ok = true;
        for (var i = 0; i < service.Spec.Count; i++)
        {
            var at = $"{path}.features[{i}]";
            if (!FeatureRef.TryParse(service.Spec[i], out var reference))
            {
                // A whole view: every feature it has now.
                var whole = Features(state.Get<FeatureViewDefinition>(ObjectKind.FeatureView, service.Spec[i]),
                    state.Get<OnDemandFeatureViewDefinition>(ObjectKind.OnDemandFeatureView, service.Spec[i]));
                if (whole is null)
                {
                    if (!IsBroken(service.Spec[i]))
                        Fail(at, $"'{service.Spec[i]}' is not a defined feature view or on-demand feature view{kept}");
                    ok = false;
                }
                else features.AddRange(whole.Value.Features.Select(f =>
                    new ServiceFeature(whole.Value.Kind, service.Spec[i], f.Name, f.Type)));
                continue;
            }
            var target = reference.Version is { } pinned
                ? await PinnedAsync(state, reference.View, pinned, cancellationToken)
                : Features(state.Get<FeatureViewDefinition>(ObjectKind.FeatureView, reference.View),
                    state.Get<OnDemandFeatureViewDefinition>(ObjectKind.OnDemandFeatureView, reference.View));
            if (target is null)
            {
                if (reference.Version is null && IsBroken(reference.View)) { ok = false; continue; }
                Fail(at, reference.Version is { } v
                    ? $"version {v} of '{reference.View}' does not exist{kept}"
                    : $"'{reference.View}' is not a defined feature view or on-demand feature view{kept}");
                ok = false;
                continue;
            }
            var feature = target.Value.Features.FirstOrDefault(f => f.Name == reference.Feature);
            if (feature == default) { Fail(at, $"'{reference.View}' has no feature '{reference.Feature}'{kept}"); ok = false; continue; }
            features.Add(new ServiceFeature(target.Value.Kind, reference.View, feature.Name, feature.Type, reference.Version));
        }
        foreach (var key in service.Drift?.Features.Keys ?? [])
            if (!features.Any(f => DriftMonitoring.KeyOf(f.View, f.Feature) == key))
            {
                Fail($"{path}.drift.features.{key}", $"'{key}' is not a feature of the service");
                ok = false;
            }
        if (!ok) { Drop(state, service); return; }
        state.Set(service with { Features = features.DistinctBy(f => (f.View, f.Feature, f.PinnedVersion)).ToList() }, path,
            state.InFile(ObjectKind.FeatureService, service.Name));
    }

    private bool IsBroken(string view) =>
        broken.Contains((ObjectKind.FeatureView, view)) || broken.Contains((ObjectKind.OnDemandFeatureView, view));

    /// <summary>An object whose references do not resolve leaves the desired state, and counts as broken for its users.</summary>
    private void Drop(DesiredState state, IRegistryDefinition definition)
    {
        state.Remove(definition.Kind, definition.Name);
        broken.Add((definition.Kind, definition.Name));
    }

    private static (ObjectKind Kind, List<(string Name, FeatureValueType Type)> Features)? Features(FeatureViewDefinition? view,
        OnDemandFeatureViewDefinition? onDemand) =>
        view is not null ? (ObjectKind.FeatureView, view.Features.Select(f => (f.Name, f.Type)).ToList())
        : onDemand is not null ? (ObjectKind.OnDemandFeatureView, onDemand.Features.Select(f => (f.Name, f.Type)).ToList())
        : null;

    /// <summary>A pinned version: a stored one, or the version this very apply gives a new or changed view.</summary>
    private async Task<(ObjectKind Kind, List<(string Name, FeatureValueType Type)> Features)?> PinnedAsync(DesiredState state,
        string name, int version,
        CancellationToken cancellationToken)
    {
        foreach (var kind in (ObjectKind[])[ObjectKind.FeatureView, ObjectKind.OnDemandFeatureView])
        {
            if (await store.FindObjectAsync(state.Project, kind, name, version, cancellationToken) is { Deleted: false } stored)
                return Features(stored.Read() as FeatureViewDefinition, stored.Read() as OnDemandFeatureViewDefinition);
            if (state.Get<IRegistryDefinition>(kind, name) is { } desired && snapshot.NextVersion(kind, name) == version
                && (snapshot.Find(kind, name) is not { } current
                    || DefinitionJson.Canonical(current.Read()) != DefinitionJson.Canonical(desired)))
                return Features(desired as FeatureViewDefinition, desired as OnDemandFeatureViewDefinition);
        }
        return null;
    }
}
