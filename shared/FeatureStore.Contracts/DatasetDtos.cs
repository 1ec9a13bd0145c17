namespace FeatureStore.Contracts;

/// <summary>
/// A training set saved from a historical retrieval (<c>GET /api/v1/datasets/{name}</c>), with what it takes to reproduce it: the
/// features at their exact versions, the feature service and its version, and the hash of the entity dataframe. Its rows are at
/// <c>GET /api/v1/datasets/{name}/data</c>.
/// </summary>
public sealed record SavedDatasetDto(
    string Project, string Name, string DataPath, long Rows, DateTimeOffset CreatedAt, IReadOnlyList<string> Features,
    string? FeatureService, int? FeatureServiceVersion, bool FullFeatureNames, string TimestampField, string EntityDataframeSha256);
