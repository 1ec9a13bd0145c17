using System.Text.Json;
using Cronos;
using FeatureStore.Api;
using FeatureStore.Contracts;
using FeatureStore.Domain;
using FeatureStore.Domain.Security;
using FeatureStore.Storage.Objects;

namespace FeatureStore.Registry.Definitions;

/// <summary>
/// Turns each object of a repository file into a definition with its own fields checked (names, types,
/// durations, cron, rules). References to other objects are only named here; <see cref="Resolver"/>
/// fills them in. Every problem is recorded with its path; an object with problems yields null.
/// </summary>
public sealed partial class SpecBuilder(string project, List<FieldError> errors)
{
    public const int MaxTextLength = 4096;
    public const int MaxSqlLength = 65536;

    private bool Fail(string path, string reason)
    {
        errors.Add(new FieldError(path, reason));
        return false;
    }

    private static T? Reject<T>(List<FieldError> errors, string path, string reason) where T : class
    {
        errors.Add(new FieldError(path, reason));
        return null;
    }

    private bool Name(string? name, string path) => Names.IsValid(name) || Fail(path, $"is required and {Names.Rule}");

    private bool OptionalName(string? name, string path) => name is null || Name(name, path);

    private FeatureValueType? Type(string? text, string path)
    {
        if (FeatureValueTypes.TryParse(text, out var type)) return type;
        Fail(path, $"must be one of {string.Join(", ", FeatureValueTypes.KnownNames)}");
        return null;
    }

    private ObjectMetadata? Metadata(ObjectDto dto, string path)
    {
        var ok = true;
        if (dto.Description?.Length > MaxTextLength) ok = Fail($"{path}.description", $"is longer than {MaxTextLength} characters");
        if (dto.Owner?.Length > 256) ok = Fail($"{path}.owner", "is longer than 256 characters");
        ok &= TagsValid(dto.Tags, $"{path}.tags");
        return ok ? new ObjectMetadata(dto.Description, dto.Owner, dto.Tags) : null;
    }

    /// <summary>Checks tags (of an object or of one feature): keys of 1 to 128 characters, values of at most 1024.</summary>
    private bool TagsValid(IReadOnlyDictionary<string, string>? tags, string path)
    {
        var ok = true;
        foreach (var (key, value) in tags ?? new Dictionary<string, string>())
        {
            if (string.IsNullOrWhiteSpace(key) || key.Length > 128)
                ok = Fail(path, $"has a tag key '{key}' that is empty or longer than 128 characters");
            else if (value is null || value.Length > 1024) ok = Fail($"{path}.{key}", "must be a text of at most 1024 characters");
        }
        return ok;
    }

    /// <summary>Checks that names in a list are valid and unique; returns them when they are.</summary>
    private List<string>? NameList(IReadOnlyList<string?>? names, string path, string what, bool required = true)
    {
        if (names is null or { Count: 0 })
        {
            if (required) Fail(path, $"must list at least one {what}");
            return required ? null : [];
        }
        var ok = true;
        for (var i = 0; i < names.Count; i++)
        {
            if (!Name(names[i], $"{path}[{i}]")) ok = false;
            else if (names.Take(i).Contains(names[i])) ok = Fail($"{path}[{i}]", $"repeats {what} '{names[i]}'");
        }
        return ok ? names.Select(n => n!).ToList() : null;
    }

    /// <summary>Named, typed fields (join keys, schemas, request fields): valid, unique names and known types.</summary>
    private List<SourceField>? Fields(IReadOnlyList<FieldDto?>? fields, string path, string what, bool required, bool joinKeys = false)
    {
        if (fields is null or { Count: 0 })
        {
            if (required) Fail(path, $"must list at least one {what}");
            return required ? null : [];
        }
        var result = new List<SourceField>();
        var ok = true;
        for (var i = 0; i < fields.Count; i++)
        {
            var field = fields[i];
            var at = $"{path}[{i}]";
            if (field is null) { ok = Fail(at, "must be {\"name\", \"type\"}"); continue; }
            var nameOk = Name(field.Name, $"{at}.name");
            if (nameOk && fields.Take(i).Any(f => f?.Name == field.Name)) nameOk = Fail($"{at}.name", $"repeats {what} '{field.Name}'");
            var type = Type(field.Type, $"{at}.type");
            if (joinKeys && type is { } t && !t.CanBeJoinKey())
            {
                Fail($"{at}.type", "must be a join-key type: int32, int64 or string");
                type = null;
            }
            if (!nameOk || type is null) { ok = false; continue; }
            result.Add(new SourceField(field.Name!, type.Value));
        }
        return ok ? result : null;
    }

    public EntityDefinition? Entity(EntityDto? dto, string path)
    {
        if (dto is null) return Reject<EntityDefinition>(errors, path, "must be an entity {\"name\", \"joinKeys\"}");
        var ok = Name(dto.Name, $"{path}.name");
        var metadata = Metadata(dto, path);
        var keys = Fields(dto.JoinKeys, $"{path}.joinKeys", "join key", required: true, joinKeys: true);
        return ok && metadata is not null && keys is not null
            ? new EntityDefinition(project, dto.Name!, keys.Select(k => new JoinKey(k.Name, k.Type)).ToList(), metadata)
            : null;
    }

    public DataSourceDefinition? Source(DataSourceDto? dto, string path)
    {
        if (dto is null)
            return Reject<DataSourceDefinition>(errors, path, "must be a data source {\"name\", \"path\", \"timestampField\"}");
        var ok = Name(dto.Name, $"{path}.name");
        var metadata = Metadata(dto, path);
        var kind = dto.Kind?.ToLowerInvariant() switch
        {
            null or "batch" => SourceKind.Batch,
            "push" => SourceKind.Push,
            _ => (SourceKind?)null,
        };
        if (kind is null) ok = Fail($"{path}.kind", "must be 'batch' or 'push'");
        var schema = Fields(dto.Schema, $"{path}.schema", "column", required: false);
        if (kind == SourceKind.Push)
        {
            ok &= Name(dto.BatchSource, $"{path}.batchSource");
            foreach (var (value, field) in
                new[] { (dto.Path, "path"), (dto.TimestampField, "timestampField"), (dto.CreatedTimestampField, "createdTimestampField") })
                if (value is not null) ok = Fail($"{path}.{field}", "comes from the batch source of a push source; leave it out");
            return ok && metadata is not null && schema is not null
                ? new DataSourceDefinition(project, dto.Name!, SourceKind.Push, "", "", null, dto.BatchSource,
                    schema.Count > 0 ? schema : null, metadata)
                : null;
        }
        if (!ObjectKeys.IsValid(dto.Path))
            ok = Fail($"{path}.path",
                $"must be an object key in the object store under the project's prefix, such as "
                + $"'{SourceScope.PrefixOf(project)}customers.parquet'");
        ok &= Name(dto.TimestampField, $"{path}.timestampField");
        ok &= OptionalName(dto.CreatedTimestampField, $"{path}.createdTimestampField");
        if (dto.CreatedTimestampField is not null && dto.CreatedTimestampField == dto.TimestampField)
            ok = Fail($"{path}.createdTimestampField", "must differ from timestampField");
        if (dto.BatchSource is not null) ok = Fail($"{path}.batchSource", "only a push source has a batch source");
        if (schema is { Count: > 0 })
            foreach (var (column, field) in
                new[] { (dto.TimestampField, "timestampField"), (dto.CreatedTimestampField, "createdTimestampField") })
                if (column is not null && schema.FirstOrDefault(c => c.Name == column) is var declared)
                {
                    if (declared is null) ok = Fail($"{path}.schema", $"has no column '{column}' (the {field})");
                    else if (declared.Type != FeatureValueType.Timestamp)
                        ok = Fail($"{path}.schema",
                            $"declares '{column}' (the {field}) as {declared.Type.ToName()}; it must be a timestamp");
                }
        return ok && metadata is not null && schema is not null
            ? new DataSourceDefinition(project, dto.Name!, SourceKind.Batch, dto.Path!, dto.TimestampField!,
                dto.CreatedTimestampField, null,
                schema.Count > 0 ? schema : null, metadata)
            : null;
    }

    public FeatureServiceDefinition? Service(FeatureServiceDto? dto, string path)
    {
        if (dto is null) return Reject<FeatureServiceDefinition>(errors, path, "must be a feature service {\"name\", \"features\"}");
        var ok = Name(dto.Name, $"{path}.name");
        var metadata = Metadata(dto, path);
        if (dto.Features is null or { Count: 0 })
            ok = Fail($"{path}.features", "must list at least one feature reference ('view:feature') or view");
        var features = dto.Features ?? [];
        for (var i = 0; i < features.Count; i++)
        {
            var at = $"{path}.features[{i}]";
            if (!FeatureRef.TryParse(features[i], out _) && !Names.IsValid(features[i]))
                ok = Fail(at, $"must be {FeatureRef.Format}, or the name of a whole view");
            else if (features.Take(i).Contains(features[i])) ok = Fail(at, $"repeats '{features[i]}'");
        }
        if (dto.Logging is { SampleRate: not (> 0 and <= 1) })
            ok = Fail($"{path}.logging.sampleRate", "must be more than 0 and at most 1 (the share of reads logged)");
        var drift = Drift(dto.Drift, $"{path}.drift", out var driftOk);
        return ok && driftOk && metadata is not null
            ? new FeatureServiceDefinition(project, dto.Name!, features.Select(f => f!).ToList(), [], metadata,
                Logging: dto.Logging is { SampleRate: { } rate } ? new FeatureLogging(rate) : null, Drift: drift)
            : null;
    }

    public OnDemandFeatureViewDefinition? OnDemand(OnDemandFeatureViewDto? dto, string path)
    {
        if (dto is null)
            return Reject<OnDemandFeatureViewDefinition>(errors, path,
                "must be an on-demand feature view {\"name\", \"sources\", \"schema\"}");
        var ok = Name(dto.Name, $"{path}.name");
        var metadata = Metadata(dto, path);
        var sources = NameList(dto.Sources, $"{path}.sources", "source view");
        var requestFields = Fields(dto.RequestFields, $"{path}.requestFields", "request field", required: false);
        var features = new List<OnDemandFeature>();
        if (dto.Schema is null or { Count: 0 })
            ok = Fail($"{path}.schema", "must list at least one feature {\"name\", \"type\", \"expression\"}");
        var schema = dto.Schema ?? [];
        for (var i = 0; i < schema.Count; i++)
        {
            var at = $"{path}.schema[{i}]";
            var feature = schema[i];
            if (feature is null) { ok = Fail(at, "must be {\"name\", \"type\", \"expression\"}"); continue; }
            var fieldOk = Name(feature.Name, $"{at}.name");
            if (fieldOk && schema.Take(i).Any(f => f?.Name == feature.Name))
                fieldOk = Fail($"{at}.name", $"repeats feature '{feature.Name}'");
            if (fieldOk && requestFields?.Any(r => r.Name == feature.Name) == true) fieldOk = Fail($"{at}.name", "is also a request field");
            var type = Type(feature.Type, $"{at}.type");
            if (string.IsNullOrWhiteSpace(feature.Expression)) fieldOk = Fail($"{at}.expression",
                "is required: a SQL expression over the inputs, such as 'purchases_30d / nullif(days_since_signup, 0)'");
            else if (feature.Expression.Length > MaxTextLength)
                fieldOk = Fail($"{at}.expression", $"is longer than {MaxTextLength} characters");
            if (feature.Description?.Length > MaxTextLength)
                fieldOk = Fail($"{at}.description", $"is longer than {MaxTextLength} characters");
            if (!fieldOk || type is null) { ok = false; continue; }
            features.Add(new OnDemandFeature(feature.Name!, type.Value, feature.Expression!.Trim(), feature.Description));
        }
        return ok && metadata is not null && sources is not null && requestFields is not null
            ? new OnDemandFeatureViewDefinition(project, dto.Name!, sources, [], requestFields, features, metadata)
            : null;
    }

    /// <summary>An absent schedule, or a cron expression; otherwise the reason is recorded at <paramref name="path"/>.</summary>
    private bool Cron(string? schedule, string path) =>
        schedule is null || CronProblem(schedule) is not { } problem || Fail(path, problem);

    /// <summary>Why <paramref name="schedule"/> is not a cron expression (five fields, or six with seconds); null when it is one.
    /// </summary>
    internal static string? CronProblem(string schedule) =>
        TryCron(schedule, out var reason) ? null : $"is not a cron expression (5 fields, or 6 with seconds): {reason}";

    /// <summary>A positive duration; otherwise the reason is recorded at <paramref name="path"/>.</summary>
    private bool PositiveDuration(string? text, string path, out TimeSpan duration) =>
        (Durations.TryParse(text, out duration) && duration > TimeSpan.Zero)
        || Fail(path, $"must be a positive duration: {Durations.Format}");

    private static bool TryCron(string text, out string? reason)
    {
        try
        {
            var fields = text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;
            CronExpression.Parse(text, fields == 6 ? CronFormat.IncludeSeconds : CronFormat.Standard);
            reason = null;
            return true;
        }
        catch (CronFormatException e)
        {
            reason = e.Message;
            return false;
        }
    }

    private static bool Fits(FeatureValueType type, JsonElement value) =>
        value.ValueKind != JsonValueKind.Null && FeatureValues.TryReadJson(type, value, out _);
}
