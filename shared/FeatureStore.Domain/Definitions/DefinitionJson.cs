using System.Text.Json;
using System.Text.Json.Serialization;

namespace FeatureStore.Domain;

/// <summary>
/// How definitions look as JSON, stored and served alike. Canonical JSON (a definition without its
/// version stamp) is what change detection and field-level diffs compare.
/// </summary>
public static class DefinitionJson
{
    public static readonly JsonSerializerOptions Options = Frozen(Configure(new JsonSerializerOptions(JsonSerializerDefaults.Web)));

    // Read-only with a resolver, so contract metadata (GetTypeInfo) is available, as the strict binder needs.
    private static JsonSerializerOptions Frozen(JsonSerializerOptions options)
    {
        options.TypeInfoResolver = new System.Text.Json.Serialization.Metadata.DefaultJsonTypeInfoResolver();
        options.MakeReadOnly();
        return options;
    }

    /// <summary>Adds what definitions need to any options (the HTTP APIs use the same).</summary>
    public static JsonSerializerOptions Configure(JsonSerializerOptions options)
    {
        JsonConventions.AddConverters(options);
        options.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
        return options;
    }

    public static Type TypeOf(ObjectKind kind) => kind switch
    {
        ObjectKind.Entity => typeof(EntityDefinition),
        ObjectKind.DataSource => typeof(DataSourceDefinition),
        ObjectKind.FeatureView => typeof(FeatureViewDefinition),
        ObjectKind.OnDemandFeatureView => typeof(OnDemandFeatureViewDefinition),
        ObjectKind.FeatureService => typeof(FeatureServiceDefinition),
        ObjectKind.Permission => typeof(PermissionDefinition),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    public static string Serialize(IRegistryDefinition definition) =>
        JsonSerializer.Serialize(definition, TypeOf(definition.Kind), Options);

    public static IRegistryDefinition Deserialize(ObjectKind kind, string json) =>
        (IRegistryDefinition?)JsonSerializer.Deserialize(json, TypeOf(kind), Options)
        ?? throw new InvalidDataException($"empty {kind.ToName()} definition");

    /// <summary>
    /// The definition without its version stamp (and, for a view, the history the registry gave it), for comparing
    /// what it says.
    /// </summary>
    public static string Canonical(IRegistryDefinition definition) => Serialize(definition.Stamped(0, default) switch
    {
        FeatureViewDefinition view => view with { History = null },
        var other => other,
    });
}

/// <summary>Durations as users write them: "30d", "1h30m".</summary>
public sealed class DurationJsonConverter : JsonConverter<TimeSpan>
{
    public override TimeSpan Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        Durations.TryParse(reader.GetString(), out var duration) ? duration
            : throw new JsonException($"not a duration: expected {Durations.Format}");

    public override void Write(Utf8JsonWriter writer, TimeSpan value, JsonSerializerOptions options) =>
        writer.WriteStringValue(Durations.ToText(value));
}
