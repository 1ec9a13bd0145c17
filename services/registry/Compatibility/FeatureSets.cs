using System.Text.Json;
using FeatureStore.Api;
using FeatureStore.Contracts;
using FeatureStore.Domain;
using FeatureStore.Registry.Definitions;
using FeatureStore.Registry.Materializations;
using FeatureStore.Registry.Storage;

namespace FeatureStore.Registry.Compatibility;

/// <summary>
/// The Feature Store 2.0 feature sets over what exists: a set's entities and source are applied as registry objects, each feature
/// added applies the set as a new version of its feature view (the apply checks everything, and names the caller's fields), and a
/// set materializes as its view does. The set itself — what it was declared with, and its features' own words — is kept in
/// <see cref="IFeatureSetStore"/>.
/// </summary>
public sealed class FeatureSets(IFeatureSetStore sets, IDefinitionStore definitions, ApplyService apply, JobLauncher launcher,
    TimeProvider clock)
{
    private readonly SemaphoreSlim _turns = new(1, 1);

    private static readonly JsonSerializerOptions DocumentJson = new(JsonSerializerOptions.Web)
    {
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>Declares a set: its new entities and source applied now, the set kept as a draft until its first feature.</summary>
    public async Task<FeatureSetDto> CreateAsync(FeatureSetRequestDto request, CancellationToken cancellationToken)
    {
        var project = Names.ProjectOrDefault(request.Project);
        var errors = new List<FieldError>();
        var name = request.Name ?? "";
        if (!Names.IsValid(name)) errors.Add(new FieldError("name", $"must be a name that {Names.Rule}"));
        var document = new RepositoryDto { Project = project, Entities = [], Sources = [] };
        var prefixes = new Dictionary<string, string>();
        var entities = new List<(int Index, string Name)>();
        if (request.Entities is not { Count: > 0 }) errors.Add(new FieldError("entities", "must name at least one entity"));
        for (var i = 0; i < (request.Entities?.Count ?? 0); i++)
        {
            var (entity, declared) = FeatureSetSpecs.Entity(request.Entities![i], $"entities[{i}]", errors);
            if (entity is not null) entities.Add((i, entity));
            if (declared is null) continue;
            prefixes[$"entities[{document.Entities.Count}]"] = $"entities[{i}]";
            document.Entities.Add(declared);
        }
        var (source, declaredSource) = FeatureSetSpecs.Source(request.Source, name, errors);
        if (declaredSource is not null)
        {
            document.Sources.Add(declaredSource);
            prefixes["sources[0]"] = "source";
        }
        if (request.Ttl is not null && !Durations.TryParse(request.Ttl, out _))
            errors.Add(new FieldError("ttl", $"must be {Durations.Format}"));
        if (request.MaterializationSchedule is { } cron && SpecBuilder.CronProblem(cron) is { } problem)
            errors.Add(new FieldError("materialization_schedule", problem));
        foreach (var (index, entity) in entities)
            if (document.Entities.All(e => e?.Name != entity) && !await ExistsAsync(project, ObjectKind.Entity, entity, cancellationToken))
                errors.Add(new FieldError($"entities[{index}]", $"entity '{entity}' does not exist in project '{project}'; name one " +
                    "that does, or declare it: {\"name\", \"join_key\", \"value_type\"}"));
        if (source is not null && declaredSource is null
            && !await ExistsAsync(project, ObjectKind.DataSource, source, cancellationToken))
            errors.Add(new FieldError("source", $"data source '{source}' does not exist in project '{project}'; name one that " +
                "does, or declare it: {\"path\", \"timestamp_field\"}"));
        if (errors.Count > 0) throw FieldErrors.Invalid(errors);
        if (await sets.FindFeatureSetAsync(project, name, cancellationToken) is not null
            || await definitions.FindFeatureViewAsync(project, name, null, cancellationToken) is not null)
            throw new ConflictException([new FieldError("name", $"a feature set or feature view '{name}' exists in project '{project}'")]);

        if (document.Entities.Count + document.Sources.Count > 0) await ApplyAsync(document, prefixes, null, cancellationToken);
        var now = clock.GetUtcNow();
        var set = new FeatureSetDto(name, project, name, request.Description, request.Owner,
            entities.Select(e => e.Name).ToList(), source!, request.Offline ?? true,
            request.Online ?? true, request.Ttl, request.MaterializationSchedule, request.Tags, [], "draft", null, now, now);
        if (!await sets.AddFeatureSetAsync(set, cancellationToken))
            throw new ConflictException([new FieldError("name", $"feature set '{name}' was just created by another request")]);
        return set;
    }

    public async Task<FeatureSetDto?> FindAsync(string project, string id, CancellationToken cancellationToken) =>
        await sets.FindFeatureSetAsync(project, id, cancellationToken) is { } set ? await WithViewAsync(set, cancellationToken) : null;

    /// <summary>
    /// Adds a feature: the set applied as a new version of its view. The set is claimed first (a compare-and-swap on what was
    /// read, so a concurrent addition on another replica is refused with a 409 rather than lost), then applied; when the apply
    /// refuses, the claim is undone and nothing is kept. Within this process additions to sets take turns.
    /// </summary>
    public async Task<FeatureCreatedDto> AddFeatureAsync(FeatureRequestDto request, CancellationToken cancellationToken)
    {
        var project = Names.ProjectOrDefault(request.Project);
        if (FeatureSetSpecs.Transformation(request.Transformation) is null)
            throw FieldErrors.Invalid("transformation", "must be a SQL expression, {\"type\": \"sql\", \"expression\"} or " +
                "{\"type\": \"aggregation\", \"function\", \"column\", \"window\"}");
        await _turns.WaitAsync(cancellationToken);
        try
        {
            var set = await sets.FindFeatureSetAsync(project, request.FeatureSetId!, cancellationToken)
                      ?? throw new NotFoundException([new FieldError("feature_set_id",
                          $"feature set '{request.FeatureSetId}' does not exist in project '{project}'")]);
            if (set.Features.Any(f => f.Name == request.Name))
                throw new ConflictException([new FieldError("name", $"feature set '{set.Name}' has a feature '{request.Name}' already")]);
            var feature = new FeatureSetFeatureDto(request.Name!, request.DataType!, request.Description, request.Transformation,
                request.ValidationRules, request.DefaultValue, request.AllowedValues);
            var changed = set with { Features = [.. set.Features, feature], Status = "active", UpdatedAt = clock.GetUtcNow() };
            if (!await sets.ReplaceFeatureSetAsync(changed, set, cancellationToken))
                throw new ConflictException([new FieldError("feature_set_id",
                    $"feature set '{set.Name}' changed while this feature was added; add it again")]);
            ApplyResultDto result;
            try
            {
                var document = new RepositoryDto { Project = project, FeatureViews = [FeatureSetSpecs.View(changed)] };
                result = await ApplyAsync(document, new Dictionary<string, string>(), set.Features.Count, cancellationToken);
            }
            catch
            {
                await sets.ReplaceFeatureSetAsync(set, changed, CancellationToken.None);
                throw;
            }
            var version = result.Changes.FirstOrDefault(c => c.Name == set.Name)?.ToVersion ?? 0;
            return new FeatureCreatedDto($"{set.Name}:{feature.Name}", set.Name, feature.Name, feature.DataType, version);
        }
        finally { _turns.Release(); }
    }

    /// <summary>Materializes the set's view over the window: its job, as the view's own materialization starts one.</summary>
    public async Task<MaterializationJob> MaterializeAsync(string project, string id, TimeWindow window,
        CancellationToken cancellationToken)
    {
        var set = await sets.FindFeatureSetAsync(project, id, cancellationToken)
                  ?? throw new NotFoundException([new FieldError("id", $"feature set '{id}' does not exist in project '{project}'")]);
        var view = await definitions.FindFeatureViewAsync(project, set.Name, null, cancellationToken)
                   ?? throw new ConflictException([new FieldError("id", $"feature set '{id}' has no features yet: add one first")]);
        return await launcher.StartAsync(view, window, 1, incremental: false, cancellationToken);
    }

    private async Task<bool> ExistsAsync(string project, ObjectKind kind, string name, CancellationToken cancellationToken) =>
        await definitions.FindObjectAsync(project, kind, name, null, cancellationToken) is { Deleted: false };

    private async Task<FeatureSetDto> WithViewAsync(FeatureSetDto set, CancellationToken cancellationToken) =>
        await definitions.FindFeatureViewAsync(set.Project, set.Name, null, cancellationToken) is { } view
            ? set with { FeatureViewVersion = view.Version } : set;

    private async Task<ApplyResultDto> ApplyAsync(RepositoryDto document, IReadOnlyDictionary<string, string> prefixes, int? feature,
        CancellationToken cancellationToken)
    {
        try
        {
            return await apply.ApplyAsync(new ApplyRequest(JsonSerializer.Serialize(document, DocumentJson), Yaml: false, DryRun: false,
                Prune: false, Force: false, IfMatch: []), cancellationToken);
        }
        catch (RefusedException refusal)
        {
            throw CompatibilityPaths.Translated(refusal, prefixes, feature);
        }
    }
}
