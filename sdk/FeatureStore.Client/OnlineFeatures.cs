using System.Text.Json;
using FeatureStore.Contracts;
using FeatureStore.Domain;

namespace FeatureStore.Client;

/// <summary>
/// An online read's answer: per entity row (in the order asked), each feature's value, status (<c>PRESENT</c>, <c>NULL_VALUE</c>,
/// <c>NOT_FOUND</c>, <c>OUTSIDE_MAX_AGE</c>) and event time, with typed access.
/// </summary>
public sealed class OnlineFeatures(OnlineFeaturesResponseDto answer)
{
    public IReadOnlyList<string> FeatureNames => answer.FeatureNames;
    public IReadOnlyList<OnlineFeatureRowDto> Rows => answer.Results;
    public int Count => answer.Results.Count;

    /// <summary>When a service read for a caller (<see cref="ReadAttribution.OnBehalfOf"/>): the features that caller may not see.
    /// </summary>
    public IReadOnlyList<string> Withheld => answer.Withheld ?? [];

    /// <summary>The value as <typeparamref name="T"/>; default when it is null or was not found.</summary>
    public T? Value<T>(int row, string feature) =>
        Row(row).Values.TryGetValue(Known(feature), out var value) && value is { ValueKind: not JsonValueKind.Null } json
            ? json.Deserialize<T>(FeatureStoreClient.Json) : default;

    public FeatureStatus Status(int row, string feature) => Row(row).Statuses[Known(feature)];

    public DateTimeOffset? EventTime(int row, string feature) =>
        Row(row).EventTimestamps.TryGetValue(Known(feature), out var at) ? at : null;

    /// <summary>A row's values by feature name (JSON numbers as double or long, text as string, null where there is none).</summary>
    public IReadOnlyDictionary<string, object?> ToDictionary(int row) =>
        FeatureNames.ToDictionary(name => name, name => Row(row).Values.TryGetValue(name, out var value) ? Plain(value) : null);

    /// <summary>A JSON value as a plain .NET value: null, text, true/false, a whole number as long, another number as double.
    /// </summary>
    public static object? Plain(JsonElement? value) => value switch
    {
        null or { ValueKind: JsonValueKind.Null or JsonValueKind.Undefined } => null,
        { ValueKind: JsonValueKind.String } text => text.GetString(),
        { ValueKind: JsonValueKind.True } => true,
        { ValueKind: JsonValueKind.False } => false,
        { ValueKind: JsonValueKind.Number } number => number.TryGetInt64(out var whole) ? (object)whole : number.GetDouble(),
        { } other => other.Clone(),
    };

    private OnlineFeatureRowDto Row(int row) => row >= 0 && row < Count ? answer.Results[row]
        : throw new ArgumentOutOfRangeException(nameof(row), row, $"the answer has {Count} rows");

    private string Known(string feature) => FeatureNames.Contains(feature) ? feature
        : throw new ArgumentException($"'{feature}' is not in the answer (it has {string.Join(", ", FeatureNames)})", nameof(feature));
}
