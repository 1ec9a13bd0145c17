using System.Text;
using System.Text.Json;
using FeatureStore.Api;
using FeatureStore.Api.Audit;
using FeatureStore.Domain;
using FeatureStore.Domain.Security;
using FeatureStore.FeatureApi.Infrastructure;
using Microsoft.AspNetCore.Http;

namespace FeatureStore.FeatureApi.Serving;

/// <summary>One output column of a request: a feature of a view, or one computed by an on-demand view.</summary>
public sealed record SelectedFeature(string OutputName, FeatureRef Ref, FeatureValueType Type, FeatureViewDefinition? View,
    OnDemandFeatureViewDefinition? OnDemand);

/// <summary>
/// What a request asks for, resolved against cached definitions: the output columns in order, the views
/// to read (those asked for and those on-demand views read), and the feature service when one was named.
/// Online serving and historical retrieval resolve requests alike through <see cref="FeatureSelector"/>.
/// </summary>
public sealed record FeatureSelection(
    IReadOnlyList<SelectedFeature> Outputs,
    IReadOnlyList<FeatureViewDefinition> Views,
    IReadOnlyList<OnDemandFeatureViewDefinition> OnDemandViews,
    FeatureServiceDefinition? Service)
{
    private IReadOnlyDictionary<string, FeatureValueType>? _required;
    private IReadOnlyList<string>? _outputNames;
    private IReadOnlyList<JsonEncodedText>? _encodedOutputNames;
    private IReadOnlyList<FeatureValueType>? _outputTypes;

    /// <summary>The output columns' names and declared types, in order (worked out once: a selection is cached and reused).</summary>
    public IReadOnlyList<string> OutputNames => _outputNames ??= Outputs.Select(o => o.OutputName).ToList();

    /// <summary>The same names escaped for JSON once, not once per property an answer writes.</summary>
    public IReadOnlyList<JsonEncodedText> EncodedOutputNames =>
        _encodedOutputNames ??= OutputNames.Select(n => JsonEncodedText.Encode(n)).ToList();

    public IReadOnlyList<FeatureValueType> OutputTypes => _outputTypes ??= Outputs.Select(o => o.Type).ToList();

    /// <summary>The join keys every view needs and the request fields every on-demand view needs, by name.</summary>
    public IReadOnlyDictionary<string, FeatureValueType> RequiredColumns() => _required ??=
        Views.SelectMany(v => v.JoinKeys).Select(k => (k.Name, k.Type))
            .Concat(OnDemandViews.SelectMany(v => v.RequestFields).Select(f => (f.Name, f.Type)))
            .DistinctBy(c => c.Name).ToDictionary(c => c.Name, c => c.Type, StringComparer.Ordinal);

    /// <summary>The latest selected version of a view: what on-demand views read (a pinned ref may add an older one).</summary>
    public FeatureViewDefinition LatestView(string name) => Views.Where(v => v.Name == name).MaxBy(v => v.Version)!;

    // The read plan below is worked out once per selection (selections are cached and shared by concurrent requests; two that
    // race to work it out get equal answers).
    private IReadOnlyList<ViewRead>? _reads;
    private Dictionary<string, (int Read, int Position)>? _places;
    private HashSet<string>? _joinKeyNames;

    /// <summary>An online read of this selection: one store read per set of join keys (views keyed alike, whatever the order of
    /// their keys, share a read), naming each of its views once.</summary>
    public IReadOnlyList<ViewRead> Reads => _reads ??= Views
        .GroupBy(v => string.Join(',', v.JoinKeys.Select(k => k.Name).Order(StringComparer.Ordinal)))
        .Select(group => new ViewRead(group.First().JoinKeys, group.Select(v => v.Name).Distinct().ToList())).ToList();

    /// <summary>Where a view's entries are in <see cref="Reads"/>: which read, and its place among that read's views.</summary>
    public (int Read, int Position) PlaceOf(string view) => (_places ??= Reads
        .SelectMany((read, r) => read.Views.Select((name, position) => KeyValuePair.Create(name, (r, position))))
        .ToDictionary(StringComparer.Ordinal))[view];

    private IReadOnlyList<StoredOutputs>? _stored;

    /// <summary>
    /// The outputs the online store answers, grouped by the view version that defines them, each group in the order that version
    /// lists its features: every writer stores a row's features in that order (<c>OnlinePayload</c>), so one pass over a stored
    /// row finds a group's values (a row written under another schema is searched by name).
    /// </summary>
    public IReadOnlyList<StoredOutputs> Stored => _stored ??= Outputs
        .Select((output, index) => (Output: output, Index: index)).Where(o => o.Output.View is not null)
        .GroupBy(o => o.Output.View!, ReferenceEqualityComparer.Instance)
        .Select(group =>
        {
            var view = (FeatureViewDefinition)group.Key!;
            var (read, place) = PlaceOf(view.Name);
            var features = view.Features.Select(f => f.Name).ToList();
            return new StoredOutputs(view, read, place, group
                .Select(o => new StoredOutput(o.Index, features.IndexOf(o.Output.Ref.Feature), o.Output.Ref.Feature,
                    Encoding.UTF8.GetBytes(o.Output.Ref.Feature)))
                .OrderBy(o => o.Position).ToArray());
        }).ToList();

    /// <summary>Whether a request column is a join key of a view read (else it is an on-demand view's request field).</summary>
    public bool IsJoinKey(string column) =>
        (_joinKeyNames ??= Reads.SelectMany(r => r.JoinKeys).Select(k => k.Name).ToHashSet(StringComparer.Ordinal)).Contains(column);
}

/// <summary>One store read of an online request: the join keys its entity keys are made of, and the views read under them.</summary>
public sealed record ViewRead(IReadOnlyList<JoinKey> JoinKeys, IReadOnlyList<string> Views);

/// <summary>The outputs one view version answers from the rows of one store read (<see cref="FeatureSelection.Stored"/>).</summary>
public sealed record StoredOutputs(FeatureViewDefinition View, int Read, int Place, IReadOnlyList<StoredOutput> Outputs);

/// <summary>An output column answered by a stored feature: its index among the outputs, the feature's position in its view's
/// schema, and its name (also as UTF-8, to compare with a stored row's property without decoding it).</summary>
public sealed record StoredOutput(int Output, int Position, string Feature, byte[] Utf8Feature);

/// <summary>Where a request carries its features, so errors name the field the caller wrote.</summary>
public sealed record SelectionFields(string Features = "features", string FeatureService = "featureService",
    string FullFeatureNames = "fullFeatureNames")
{
    public static readonly SelectionFields Api = new();
    public static readonly SelectionFields Feast = new("features", "feature_service", "full_feature_names");
}

/// <summary>
/// Resolves feature references (or a feature service) to a <see cref="FeatureSelection"/>; every problem is
/// reported at once. Models ask for the same features request after request, so a resolved selection is
/// kept (per project, refs or service, and naming) until any definition changes.
/// </summary>
public sealed class FeatureSelector(DefinitionCache definitions, IHttpContextAccessor http)
{
    private const int MaxRemembered = 1024;

    private readonly System.Collections.Concurrent.ConcurrentDictionary<SelectionKey,
        (long Generation, FeatureSelection Selection)> _remembered = new();

    public async ValueTask<FeatureSelection> SelectAsync(string project, IReadOnlyList<string>? references,
        string? serviceName, bool fullNames,
        SelectionFields fields, CancellationToken cancellationToken)
    {
        var key = new SelectionKey(project, references, serviceName, fullNames);
        var generation = definitions.Generation;
        if (_remembered.TryGetValue(key, out var known) && known.Generation == generation) return known.Selection;
        var selection = await ResolveAllAsync(project, references, serviceName, fullNames, fields, cancellationToken);
        if (_remembered.Count >= MaxRemembered) _remembered.Clear();
        _remembered[key with { References = references?.ToArray() }] = (generation, selection);
        return selection;
    }

    private async Task<FeatureSelection> ResolveAllAsync(string project, IReadOnlyList<string>? references,
        string? serviceName, bool fullNames,
        SelectionFields fields, CancellationToken cancellationToken)
    {
        var errors = new List<FieldError>();
        FeatureServiceDefinition? service = null;
        List<(string Field, FeatureRef Ref, ObjectKind? Kind)> wanted = [];
        if (serviceName is not null)
        {
            service = await definitions.GetAsync<FeatureServiceDefinition>(project, serviceName, null, cancellationToken);
            if (service is null)
                errors.Add(new FieldError(fields.FeatureService, $"feature service '{serviceName}' does not exist in project '{project}'"));
            else wanted = service.Features.Select(f => (fields.FeatureService, f.Ref, (ObjectKind?)f.ViewKind)).ToList();
        }
        else
        {
            for (var i = 0; i < references!.Count; i++)
                if (FeatureRef.TryParse(references[i], out var reference)) wanted.Add(($"{fields.Features}[{i}]", reference, null));
                else errors.Add(new FieldError($"{fields.Features}[{i}]", $"must be {FeatureRef.Format}"));
        }

        var outputs = new List<SelectedFeature>();
        var firstByName = new Dictionary<string, string>(StringComparer.Ordinal);
        var views = new Dictionary<(string, int), FeatureViewDefinition>();
        var onDemandViews = new Dictionary<(string, int), OnDemandFeatureViewDefinition>();
        foreach (var (field, reference, kind) in wanted)
        {
            var selected = await ResolveAsync(project, reference, kind, field, errors, cancellationToken);
            if (selected is null) continue;
            var output = reference.OutputName(fullNames);
            if (firstByName.TryGetValue(output, out var first))
            {
                errors.Add(new FieldError(field,
                    $"its output name '{output}' is also the name of {first}; ask for {fields.FullFeatureNames}"));
                continue;
            }
            firstByName[output] = $"{field} ({reference})";
            outputs.Add(selected with { OutputName = output });
            if (selected.View is { } view) views.TryAdd((view.Name, view.Version), view);
            if (selected.OnDemand is { } onDemand && onDemandViews.TryAdd((onDemand.Name, onDemand.Version), onDemand))
                foreach (var input in onDemand.Inputs)
                {
                    var inputView = await definitions.GetViewAsync(project, input.View, null, cancellationToken);
                    if (inputView is null) errors.Add(new FieldError(field,
                        $"on-demand view '{onDemand.Name}' reads feature view '{input.View}', which no longer exists"));
                    else views.TryAdd((inputView.Name, inputView.Version), inputView);
                }
        }
        if (errors.Count > 0) throw FieldErrors.Invalid(errors);
        return new FeatureSelection(outputs, views.Values.ToList(), onDemandViews.Values.ToList(), service);
    }

    /// <summary>
    /// Refuses (403, naming them) the outputs of <paramref name="selection"/> that <paramref name="principal"/> may not
    /// <paramref name="action"/> under the project's permissions (<see cref="FeatureProtection"/>): nothing is read when any is
    /// refused. A read that touches protected features, allowed or refused, is audited with them (and
    /// <paramref name="entityRows"/> when known). A null principal is this process itself.
    /// </summary>
    public async ValueTask DemandAsync(string project, FeatureSelection selection, Principal? principal, FeatureAction action,
        CancellationToken cancellationToken, long? entityRows = null)
    {
        if (principal is null) return;
        var permissions = await definitions.ListAsync<PermissionDefinition>(project, cancellationToken);
        // Without permissions nothing is protected: the built-in roles were checked before the handler.
        if (permissions.Count == 0) return;
        var refused = Refused(selection, principal, action, permissions);
        var touched = refused.Count > 0 ? refused : Refused(selection, Unprivileged, action, permissions);
        if (touched.Count > 0 && http.HttpContext is { } context)
        {
            var audit = AuditNotes.Of(context);
            audit.Project = project;
            audit.Features.AddRange(touched);
            audit.EntityRows = entityRows;
        }
        if (refused.Count > 0)
            throw new ForbiddenException([new FieldError("features",
                $"'{principal.Id}' may not {AccessRules.ActionName(action)} protected features: {string.Join(", ", refused)}")]);
    }

    /// <summary>Whether <paramref name="principal"/> may <paramref name="action"/> every output of <paramref name="selection"/> (the
    /// question <see cref="DemandAsync"/> asks, without refusing or auditing: for lists that leave out what a caller may not see).
    /// </summary>
    public async ValueTask<bool> MayAsync(string project, FeatureSelection selection, Principal? principal, FeatureAction action,
        CancellationToken cancellationToken)
    {
        if (principal is null) return true;
        var permissions = await definitions.ListAsync<PermissionDefinition>(project, cancellationToken);
        return permissions.Count == 0 || Refused(selection, principal, action, permissions).Count == 0;
    }

    /// <summary>A plain reader: what it may not read is exactly what is protected.</summary>
    private static readonly Principal Unprivileged =
        new("unprivileged", PrincipalKind.ApiKey, "", [Principal.AllProjects], [BuiltInRoles.Reader]);

    /// <summary>The outputs of <paramref name="selection"/> (by ref), and its feature service, that <paramref name="principal"/>
    /// may not <paramref name="action"/>.</summary>
    private static List<string> Refused(FeatureSelection selection, Principal principal, FeatureAction action,
        IReadOnlyList<PermissionDefinition> permissions)
    {
        var refused = RefusedOutputs(selection, principal, action, permissions).Select(o => o.Ref.ToString()).ToList();
        if (selection.Service is { } service && !FeatureProtection.MayUse(principal, action, ObjectKind.FeatureService, service.Name,
                service.Metadata.Tags, permissions))
            refused.Insert(0, $"feature service '{service.Name}'");
        return refused;
    }

    /// <summary>The output names of <paramref name="selection"/> that <paramref name="principal"/> may not read online: what a
    /// service reading on a caller's behalf (model-api echoing a prediction's features) must not show that caller.</summary>
    public async ValueTask<List<string>> WithheldAsync(string project, FeatureSelection selection, Principal principal,
        CancellationToken cancellationToken) =>
        RefusedOutputs(selection, principal, FeatureAction.ReadOnline,
            await definitions.ListAsync<PermissionDefinition>(project, cancellationToken)).Select(o => o.OutputName).ToList();

    private static IEnumerable<SelectedFeature> RefusedOutputs(FeatureSelection selection, Principal principal, FeatureAction action,
        IReadOnlyList<PermissionDefinition> permissions) =>
        permissions.Count == 0 ? [] : selection.Outputs.Where(output => output switch
        {
            { View: { } view } => !FeatureProtection.MayUse(principal, action, view, output.Ref.Feature, permissions),
            { OnDemand: { } onDemand } => !FeatureProtection.MayUse(principal, action, onDemand, selection.LatestView, permissions),
            _ => false,
        });

    private async Task<SelectedFeature?> ResolveAsync(string project, FeatureRef reference, ObjectKind? kind, string field,
        List<FieldError> errors,
        CancellationToken cancellationToken)
    {
        var which = reference.Version is { } v ? $"version {v} of '{reference.View}'" : $"'{reference.View}'";
        if ((kind is null or ObjectKind.FeatureView)
            && await definitions.GetViewAsync(project, reference.View, reference.Version, cancellationToken) is { } view)
        {
            if (view.FindFeature(reference.Feature) is { } feature) return new SelectedFeature("", reference, feature.Type, view, null);
            errors.Add(new FieldError(field, $"feature view '{view.Name}' (v{view.Version}) has no feature '{reference.Feature}'"));
            return null;
        }
        if ((kind is null or ObjectKind.OnDemandFeatureView)
            && await definitions.GetAsync<OnDemandFeatureViewDefinition>(project, reference.View, reference.Version,
                cancellationToken) is { } onDemand)
        {
            if (onDemand.FindFeature(reference.Feature) is { } feature)
                return new SelectedFeature("", reference, feature.Type, null, onDemand);
            errors.Add(new FieldError(field,
                $"on-demand feature view '{onDemand.Name}' (v{onDemand.Version}) has no feature '{reference.Feature}'"));
            return null;
        }
        errors.Add(new FieldError(field, $"no feature view or on-demand feature view {which} exists in project '{project}'"));
        return null;
    }
}

/// <summary>What a selection depends on from the request; refs compare by content.</summary>
internal readonly record struct SelectionKey(string Project, IReadOnlyList<string>? References, string? Service, bool FullNames)
{
    public bool Equals(SelectionKey other) =>
        Project == other.Project && Service == other.Service && FullNames == other.FullNames
        && (References is null ? other.References is null : other.References is not null && References.SequenceEqual(other.References));

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(Project);
        hash.Add(Service);
        hash.Add(FullNames);
        foreach (var reference in References ?? []) hash.Add(reference);
        return hash.ToHashCode();
    }
}
