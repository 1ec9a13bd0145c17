using System.Text.Json;
using FeatureStore.Api;
using FeatureStore.Contracts;
using FeatureStore.Domain;

namespace FeatureStore.Registry.Definitions;

public sealed partial class SpecBuilder
{
    private static readonly Dictionary<string, AggregationFunction> Functions = new(StringComparer.OrdinalIgnoreCase)
    {
        ["count"] = AggregationFunction.Count,
        ["sum"] = AggregationFunction.Sum,
        ["avg"] = AggregationFunction.Avg,
        ["min"] = AggregationFunction.Min,
        ["max"] = AggregationFunction.Max,
        ["count_distinct"] = AggregationFunction.CountDistinct,
    };

    /// <summary>A feature view with its own fields checked; entities and source are named, not yet resolved.</summary>
    public FeatureViewDefinition? View(FeatureViewDto? dto, string path)
    {
        if (dto is null)
            return Reject<FeatureViewDefinition>(errors, path, "must be a feature view {\"name\", \"entities\", \"source\", \"schema\"}");
        var ok = Name(dto.Name, $"{path}.name");
        var metadata = Metadata(dto, path);
        var entities = NameList(dto.Entities, $"{path}.entities", "entity");
        ok &= Name(dto.Source, $"{path}.source");
        var features = Schema(dto.Schema, $"{path}.schema");

        var ttl = TimeSpan.Zero;
        if (dto.Ttl is not null && !Durations.TryParse(dto.Ttl, out ttl)) ok = Fail($"{path}.ttl", $"must be {Durations.Format}");
        var sql = dto.Transformation?.Sql?.Trim();
        if (dto.Transformation is not null && string.IsNullOrEmpty(sql))
            ok = Fail($"{path}.transformation.sql", "is required: one SELECT over the table 'source'");
        else if (sql?.Length > MaxSqlLength) ok = Fail($"{path}.transformation.sql", $"is longer than {MaxSqlLength} characters");
        var aggregations = Aggregations(dto.Aggregations, $"{path}.aggregations", features);
        if (dto.Online == false && dto.Offline == false) ok = Fail($"{path}.online", "a view must be online, offline or both");
        ok &= Cron(dto.Schedule, $"{path}.schedule");
        if (dto.MaxInvalidRate is < 0 or > 1) ok = Fail($"{path}.maxInvalidRate", "must be between 0 and 1");
        TimeSpan? freshness = null;
        if (dto.Freshness is not null)
        {
            if (PositiveDuration(dto.Freshness, $"{path}.freshness", out var objective)) freshness = objective;
            else ok = false;
        }

        if (!ok || metadata is null || entities is null || features is null || aggregations is null) return null;
        return new FeatureViewDefinition(project, dto.Name!,
            entities.Select(e => new ViewEntity(e, [])).ToList(),
            new ViewSource(dto.Source!, SourceKind.Batch, "", "", null),
            features, ttl, metadata, sql, aggregations.Count > 0 ? aggregations : null,
            dto.Online ?? true, dto.Offline ?? true, dto.Schedule?.Trim(), dto.MaxInvalidRate ?? 0, Freshness: freshness);
    }

    private List<FeatureField>? Schema(IReadOnlyList<FeatureFieldDto?>? schema, string path)
    {
        if (schema is null or { Count: 0 })
            return Reject<List<FeatureField>>(errors, path, "must list at least one feature {\"name\", \"type\"}");
        var features = new List<FeatureField>();
        var ok = true;
        for (var i = 0; i < schema.Count; i++)
        {
            var at = $"{path}[{i}]";
            var field = schema[i];
            if (field is null) { ok = Fail(at, "must be {\"name\", \"type\"}"); continue; }
            var fieldOk = Name(field.Name, $"{at}.name");
            if (fieldOk && schema.Take(i).Any(f => f?.Name == field.Name)) fieldOk = Fail($"{at}.name", $"repeats feature '{field.Name}'");
            if (field.Description?.Length > MaxTextLength)
                fieldOk = Fail($"{at}.description", $"is longer than {MaxTextLength} characters");
            var type = Type(field.Type, $"{at}.type");
            if (!TagsValid(field.Tags, $"{at}.tags")) fieldOk = false;
            var rules = type is { } t && field.Validation is { } v ? Rules(v, t, $"{at}.validation") : null;
            if (!fieldOk || type is null || (field.Validation is not null && rules is null)) { ok = false; continue; }
            features.Add(new FeatureField(field.Name!, type.Value, field.Description, rules, field.Tags is { Count: > 0 } tags
                ? new SortedDictionary<string, string>(tags, StringComparer.Ordinal) : null));
        }
        return ok ? features : null;
    }

    private FieldRules? Rules(ValidationRulesDto rules, FeatureValueType type, string path)
    {
        var ok = true;
        if ((rules.Min is not null || rules.Max is not null) && !type.IsNumeric())
            ok = Fail(rules.Min is not null ? $"{path}.min" : $"{path}.max", $"applies to numbers; this feature is {type.ToName()}");
        if (rules.Min is { } min && rules.Max is { } max && min > max) ok = Fail($"{path}.max", $"is below min ({min})");
        var allowed = rules.AllowedValues;
        if (allowed is { Count: 0 }) ok = Fail($"{path}.allowedValues", "must list at least one value (or be left out)");
        for (var i = 0; i < (allowed?.Count ?? 0); i++)
            if (!Fits(type, allowed![i])) ok = Fail($"{path}.allowedValues[{i}]", $"is not a {type.ToName()} value");
        if (rules.Default is { } fallback)
        {
            if (!Fits(type, fallback)) ok = Fail($"{path}.default", $"is not a {type.ToName()} value");
            else if (allowed is { Count: > 0 } && !allowed.Any(a => JsonElement.DeepEquals(a, fallback)))
                ok = Fail($"{path}.default", "is not one of allowedValues");
            else if (fallback.ValueKind == JsonValueKind.Number && (fallback.GetDouble() < rules.Min || fallback.GetDouble() > rules.Max))
                ok = Fail($"{path}.default", "lies outside min and max");
        }
        return ok ? new FieldRules(rules.Min, rules.Max, allowed, rules.NotNull ?? false, rules.Default) : null;
    }

    private List<Aggregation>? Aggregations(IReadOnlyList<AggregationDto?>? aggregations, string path, List<FeatureField>? features)
    {
        var result = new List<Aggregation>();
        var ok = true;
        for (var i = 0; i < (aggregations?.Count ?? 0); i++)
        {
            var at = $"{path}[{i}]";
            var aggregation = aggregations![i];
            if (aggregation is null) { ok = Fail(at, "must be {\"name\", \"function\", \"column\", \"window\"}"); continue; }
            var itemOk = Name(aggregation.Name, $"{at}.name");
            if (itemOk && aggregations.Take(i).Any(a => a?.Name == aggregation.Name))
                itemOk = Fail($"{at}.name", $"repeats aggregation '{aggregation.Name}'");
            if (itemOk && features is not null && features.All(f => f.Name != aggregation.Name))
                itemOk = Fail($"{at}.name",
                    $"'{aggregation.Name}' is not in the schema; declare the feature it produces there, with its type");
            if (!Functions.TryGetValue(aggregation.Function ?? "", out var function))
                itemOk = Fail($"{at}.function", $"must be one of {string.Join(", ", Functions.Keys)}");
            itemOk &= Name(aggregation.Column, $"{at}.column");
            if (!PositiveDuration(aggregation.Window, $"{at}.window", out var window)) itemOk = false;
            if (!itemOk) { ok = false; continue; }
            result.Add(new Aggregation(aggregation.Name!, function, aggregation.Column!, window));
        }
        return ok ? result : null;
    }
}
