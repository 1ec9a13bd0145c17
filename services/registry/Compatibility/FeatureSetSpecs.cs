using System.Text.Json;
using FeatureStore.Api;
using FeatureStore.Contracts;

namespace FeatureStore.Registry.Compatibility;

/// <summary>
/// Reads the Feature Store 2.0 shapes into the repository document that <c>POST /api/v1/apply</c> takes (entities, a source, the
/// feature view a set becomes), and says where in the caller's body a path of that document came from. Every rule stays the
/// apply's; only names are translated.
/// </summary>
public static class FeatureSetSpecs
{
    public const string DefaultTimestampField = "event_timestamp";

    /// <summary>An entity named, or a new one declared: <c>{"name", "join_key", "value_type"}</c> or
    /// <c>{"name", "join_keys": [{"name", "type"}]}</c>.</summary>
    public static (string? Name, EntityDto? Declared) Entity(JsonElement element, string path, List<FieldError> errors)
    {
        if (element.ValueKind == JsonValueKind.String) return (element.GetString(), null);
        if (element.ValueKind != JsonValueKind.Object)
        {
            errors.Add(new FieldError(path, "must be an entity's name or {\"name\", \"join_key\", \"value_type\"}"));
            return (null, null);
        }
        var name = Text(element, "name");
        var keys = new List<FieldDto?>();
        if (Text(element, "join_key") is { } key) keys.Add(new FieldDto { Name = key, Type = Text(element, "value_type") });
        if (element.TryGetProperty("join_keys", out var many) && many.ValueKind == JsonValueKind.Array)
            foreach (var item in many.EnumerateArray())
                keys.Add(item.ValueKind == JsonValueKind.String
                    ? new FieldDto { Name = item.GetString(), Type = Text(element, "value_type") }
                    : new FieldDto { Name = Text(item, "name"), Type = Text(item, "type") ?? Text(item, "value_type") });
        return (name, new EntityDto
        {
            Name = name, Description = Text(element, "description"), JoinKeys = keys.Count > 0 ? keys : null,
        });
    }

    /// <summary>A source named, or a new batch source declared (named after the set unless it says).</summary>
    public static (string? Name, DataSourceDto? Declared) Source(JsonElement? element, string set, List<FieldError> errors)
    {
        if (element is { ValueKind: JsonValueKind.String } named) return (named.GetString(), null);
        if (element is not { ValueKind: JsonValueKind.Object } source)
        {
            errors.Add(new FieldError("source", "is required: a data source's name, or {\"path\", \"timestamp_field\"}"));
            return (null, null);
        }
        var name = Text(source, "name") ?? $"{set}_source";
        List<FieldDto?>? schema = source.TryGetProperty("schema", out var fields) && fields.ValueKind == JsonValueKind.Array
            ? fields.EnumerateArray().Select(f => (FieldDto?)new FieldDto { Name = Text(f, "name"), Type = Text(f, "type") }).ToList()
            : null;
        return (name, new DataSourceDto
        {
            Name = name, Kind = Text(source, "type") is "push" ? "push" : null, Path = Text(source, "path"),
            TimestampField = Text(source, "timestamp_field") ?? DefaultTimestampField,
            CreatedTimestampField = Text(source, "created_timestamp_field"), BatchSource = Text(source, "batch_source"), Schema = schema,
        });
    }

    /// <summary>The feature view a set with features is: each feature a field of its schema, an aggregation, or an expression of
    /// the view's transformation (<c>SELECT *, expression AS feature FROM source</c>).</summary>
    public static FeatureViewDto View(FeatureSetDto set)
    {
        var aggregations = new List<AggregationDto?>();
        var expressions = new List<string>();
        foreach (var feature in set.Features)
        {
            switch (Transformation(feature.Transformation))
            {
                case { Kind: "aggregation" } aggregation:
                    aggregations.Add(new AggregationDto
                    {
                        Name = feature.Name, Function = aggregation.Function, Column = aggregation.Column, Window = aggregation.Window,
                    });
                    break;
                case { Kind: "sql", Expression: { } expression }:
                    expressions.Add($"({expression}) AS \"{feature.Name}\"");
                    break;
            }
        }
        return new FeatureViewDto
        {
            Name = set.Name, Description = set.Description, Owner = set.Owner, Tags = set.Tags?.ToDictionary(),
            Entities = set.Entities.Select(e => (string?)e).ToList(), Source = set.Source, Ttl = set.Ttl,
            Online = set.Online, Offline = set.Offline, Schedule = set.MaterializationSchedule,
            Transformation = expressions.Count > 0
                ? new TransformationDto { Sql = $"SELECT *, {string.Join(", ", expressions)} FROM source" } : null,
            Aggregations = aggregations.Count > 0 ? aggregations : null,
            Schema = set.Features.Select(f => (FeatureFieldDto?)new FeatureFieldDto
            {
                Name = f.Name, Type = f.DataType, Description = f.Description,
                Validation = f.ValidationRules is null && f.DefaultValue is null && f.AllowedValues is null ? null : new ValidationRulesDto
                {
                    Min = f.ValidationRules?.Min, Max = f.ValidationRules?.Max, NotNull = f.ValidationRules?.NotNull,
                    Default = f.DefaultValue, AllowedValues = f.AllowedValues?.ToList(),
                },
            }).ToList(),
        };
    }

    /// <summary>A feature's transformation: none (the source column), SQL (text or <c>{"type": "sql", "expression"}</c>), or
    /// <c>{"type": "aggregation", "function", "column", "window"}</c>; null when it is none of these.</summary>
    public static FeatureTransformation? Transformation(JsonElement? element) => element switch
    {
        null or { ValueKind: JsonValueKind.Null } => new FeatureTransformation("column"),
        { ValueKind: JsonValueKind.String } text => new FeatureTransformation("sql", Expression: text.GetString()),
        { ValueKind: JsonValueKind.Object } body => Text(body, "type") switch
        {
            "sql" or "expression" => new FeatureTransformation("sql", Expression: Text(body, "expression") ?? Text(body, "sql")),
            "aggregation" => new FeatureTransformation("aggregation", Text(body, "function"), Text(body, "column"), Text(body, "window")),
            _ => null,
        },
        _ => null,
    };

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}

public sealed record FeatureTransformation(string Kind, string? Function = null, string? Column = null, string? Window = null,
    string? Expression = null);
