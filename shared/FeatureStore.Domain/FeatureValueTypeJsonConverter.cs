using System.Text.Json;
using System.Text.Json.Serialization;

namespace FeatureStore.Domain;

/// <summary>Feature types travel as the names users write ("int64", "float32[]").</summary>
public sealed class FeatureValueTypeJsonConverter : JsonConverter<FeatureValueType>
{
    public override FeatureValueType Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        FeatureValueTypes.TryParse(reader.GetString(), out var type) ? type
            : throw new JsonException($"unknown feature type; expected one of {string.Join(", ", FeatureValueTypes.KnownNames)}");

    public override void Write(Utf8JsonWriter writer, FeatureValueType value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.ToName());
}
