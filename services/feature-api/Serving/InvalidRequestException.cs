namespace FeatureStore.FeatureApi.Serving;

public sealed record RequestError(string Field, string Reason);

/// <summary>The request cannot be answered as sent; every problem found is listed with its JSON path.</summary>
public sealed class InvalidRequestException(IReadOnlyList<RequestError> errors)
    : Exception(string.Join("; ", errors.Select(e => $"{e.Field}: {e.Reason}")))
{
    public IReadOnlyList<RequestError> Errors { get; } = errors;
}
