using System.Text.Json;

namespace FeatureStore.ModelApi.Training;

/// <summary>
/// How a feature value becomes a model input, the one rule for training and serving alike: numbers as they
/// are, booleans as 1 or 0, anything missing (null, absent, not PRESENT online) as NaN, which the model's own
/// first step replaces by the training mean — so a missing value is treated identically in both places.
/// </summary>
public static class FeatureVectors
{
    public static float ToInput(JsonElement? value) => value switch
    {
        { ValueKind: JsonValueKind.Number } number => (float)number.GetDouble(),
        { ValueKind: JsonValueKind.True } => 1f,
        { ValueKind: JsonValueKind.False } => 0f,
        _ => float.NaN,
    };

    /// <summary>Whether a value is usable as an input at all (numbers and booleans; null is usable as "missing").</summary>
    public static bool IsUsable(JsonElement value) =>
        value.ValueKind is JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False or JsonValueKind.Null;

    public static float[] FromRow(IReadOnlyList<string> features, Func<string, JsonElement?> valueOf)
    {
        var vector = new float[features.Count];
        for (var i = 0; i < features.Count; i++) vector[i] = ToInput(valueOf(features[i]));
        return vector;
    }
}
