using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace FeatureStore.Domain;

/// <summary>
/// Enums as camelCase text, except enums that name their own converter (feature types are "float32[]",
/// statuses are "OUTSIDE_MAX_AGE"): a converter in the options would otherwise win over theirs.
/// </summary>
public sealed class CamelCaseEnumConverter : JsonConverterFactory
{
    private readonly JsonStringEnumConverter _inner = new(JsonNamingPolicy.CamelCase);

    public override bool CanConvert(Type typeToConvert) =>
        typeToConvert.IsEnum && typeToConvert.GetCustomAttribute<JsonConverterAttribute>() is null;

    public override JsonConverter? CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
        _inner.CreateConverter(typeToConvert, options);
}
