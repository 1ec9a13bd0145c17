using System.Text.Json;
using FeatureStore.Client;

namespace FeatureStore.ModelApi.Training;

/// <summary>
/// How a feature value becomes a model input, the one rule for training and serving alike: numbers as they
/// are, booleans as 1 or 0, anything missing (null, absent, not PRESENT online) as NaN, which the model's own
/// first step replaces by the training mean — so a missing value is treated identically in both places. Values are the SDK's
/// plain ones (a whole number as long, another as double); a JSON value (an online answer, raw features) is read as one.
/// </summary>
public static class FeatureVectors
{
    public static float ToInput(object? value) => value switch
    {
        long whole => (float)(double)whole,
        double number => (float)number,
        true => 1f,
        false => 0f,
        _ => float.NaN,
    };

    /// <summary>The same rule read straight from JSON (a prediction reads about 20 values: none is boxed); pinned to the plain
    /// one by <c>FeatureVectorsTests</c>.</summary>
    public static float ToInput(JsonElement? value) => value switch
    {
        { ValueKind: JsonValueKind.Number } number => number.TryGetInt64(out var whole) ? (float)(double)whole : (float)number.GetDouble(),
        { ValueKind: JsonValueKind.True } => 1f,
        { ValueKind: JsonValueKind.False } => 0f,
        _ => float.NaN,
    };

    /// <summary>Whether a value is usable as an input at all (numbers and booleans; null is usable as "missing").</summary>
    public static bool IsUsable(object? value) => value is null or long or double or bool;

    public static bool IsUsable(JsonElement value) => IsUsable(OnlineFeatures.Plain(value));

    public static float[] FromRow(IReadOnlyList<string> features, IReadOnlyDictionary<string, object?> row)
    {
        var vector = new float[features.Count];
        for (var i = 0; i < features.Count; i++) vector[i] = ToInput(row.GetValueOrDefault(features[i]));
        return vector;
    }
}
