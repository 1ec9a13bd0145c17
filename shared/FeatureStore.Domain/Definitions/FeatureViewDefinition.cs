using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace FeatureStore.Domain;

/// <summary>An entity as a view uses it: its name and join keys at the time the view was applied.</summary>
public sealed record ViewEntity(string Name, IReadOnlyList<JoinKey> JoinKeys);

/// <summary>A source as a view reads it, resolved when the view was applied (push sources to their batch source).</summary>
public sealed record ViewSource(string Name, SourceKind SourceKind, string Path, string TimestampField, string? CreatedTimestampField,
    IReadOnlyList<SourceField>? Schema = null);

/// <summary>Validation rules of one field, checked on every row the pipeline writes.</summary>
public sealed record FieldRules(
    double? Min = null,
    double? Max = null,
    IReadOnlyList<JsonElement>? AllowedValues = null,
    bool NotNull = false,
    JsonElement? Default = null);

/// <summary>One feature of a view. <see cref="Tags"/> are the feature's own (e.g. <c>sensitivity: pii</c>), laid over its view's
/// (<see cref="FeatureViewDefinition.TagsOf"/>); null when it has none, so that versions stored before feature tags keep their
/// JSON.</summary>
public sealed record FeatureField(string Name, FeatureValueType Type, string? Description = null, FieldRules? Rules = null,
    IReadOnlyDictionary<string, string>? Tags = null);

public enum AggregationFunction
{
    Count,
    Sum,
    Avg,
    Min,
    Max,
    CountDistinct,
}

/// <summary>A windowed aggregation producing feature <see cref="Name"/>: <c>Function(Column)</c> over the last
/// <see cref="Window"/>.</summary>
public sealed record Aggregation(
    string Name,
    AggregationFunction Function,
    string Column,
    [property: JsonConverter(typeof(DurationJsonConverter))] TimeSpan Window);

/// <summary>One immutable version of a feature view.</summary>
public sealed record FeatureViewDefinition(
    string Project,
    string Name,
    IReadOnlyList<ViewEntity> Entities,
    ViewSource Source,
    IReadOnlyList<FeatureField> Features,
    [property: JsonConverter(typeof(DurationJsonConverter))] TimeSpan Ttl,
    ObjectMetadata Metadata,
    string? TransformationSql = null,
    IReadOnlyList<Aggregation>? Aggregations = null,
    bool Online = true,
    bool Offline = true,
    string? Schedule = null,
    double MaxInvalidRate = 0,
    int Version = 0,
    int? History = null,
    [property: JsonConverter(typeof(DurationJsonConverter))] TimeSpan? Freshness = null) : IRegistryDefinition
{
    /// <summary>When this version was applied (stamped by the registry). A property, not a constructor parameter: a
    /// parameter's <c>= default</c> for a DateTimeOffset breaks the OpenAPI schema export.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    public ObjectKind Kind => ObjectKind.FeatureView;

    /// <summary>
    /// The version whose offline history this version reads and writes (<see cref="ViewHistory"/>): its own unless
    /// it computes what an earlier version did. Versions stored before histories existed have none, and their own.
    /// </summary>
    [JsonIgnore]
    public int HistoryVersion => History ?? Version;

    /// <summary>Every join key of every entity, in order; together they identify an entity row of this view.</summary>
    [JsonIgnore]
    public IReadOnlyList<JoinKey> JoinKeys => KnownJoinKeys.GetValue(this,
        static view => view.Entities.SelectMany(e => e.JoinKeys).DistinctBy(k => k.Name).ToList());

    // Worked out once per definition object (the serving path asks per request and row). Kept beside the record, not in a field
    // of it: a field would take part in the record's equality and be copied by `with` into a view of other entities.
    private static readonly ConditionalWeakTable<FeatureViewDefinition, IReadOnlyList<JoinKey>> KnownJoinKeys = new();

    public FeatureField? FindFeature(string name) => Features.FirstOrDefault(f => f.Name == name);

    /// <summary>The tags a feature carries: its view's, with the feature's own laid over them.</summary>
    public IReadOnlyDictionary<string, string> TagsOf(string feature)
    {
        if (FindFeature(feature)?.Tags is not { Count: > 0 } own) return Metadata.Tags;
        var tags = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in Metadata.Tags.Concat(own)) tags[key] = value;
        return tags;
    }

    public IRegistryDefinition Stamped(int version, DateTimeOffset createdAt) => this with { Version = version, CreatedAt = createdAt };

    public IEnumerable<(ObjectKind Kind, string Name)> DependsOn() =>
        Entities.Select(e => (ObjectKind.Entity, e.Name)).Append((ObjectKind.DataSource, Source.Name));
}
