using System.Text.Json;
using FeatureStore.Contracts;
using FeatureStore.Domain;
using FeatureStore.ModelApi.Storage;

namespace FeatureStore.ModelApi.Churn;

/// <summary>
/// What a model version records beside its artifact (kept as JSON in the store): the features in input order and
/// the exact versioned refs they are read by, the feature-service versions, the saved training dataset, the
/// split, every candidate's metrics and the chosen one's importance.
/// </summary>
public sealed record ModelDetails(
    string Project, string Algorithm, IReadOnlyList<string> Features, IReadOnlyList<string> FeatureRefs,
    FeatureServiceVersionDto TrainingFeatureService, FeatureServiceVersionDto ServingFeatureService, string Dataset,
    long TrainingRows, long TestRows, double PositiveShare, double Threshold, ModelMetricsDto Metrics,
    IReadOnlyList<ModelMetricsDto> Candidates, IReadOnlyList<FeatureImportanceDto> Importance)
{
    public string ToJson() => JsonSerializer.Serialize(this, DefinitionJson.Options);

    public static ModelDetails Of(ModelVersion version) =>
        JsonSerializer.Deserialize<ModelDetails>(version.Details, DefinitionJson.Options)
        ?? throw new InvalidDataException($"model {version.Model} v{version.Version} has no details");

    public ModelVersionDto ToDto(ModelVersion version, bool promoted) => new(
        version.Model, version.Version, version.CreatedAt, promoted, version.TrainingJob, version.Artifact,
        Project, Algorithm, Features, FeatureRefs,
        TrainingFeatureService, ServingFeatureService, Dataset, TrainingRows, TestRows, PositiveShare, Metrics, Candidates, Importance);

    /// <summary>Where a version's artifact lives (docs/architecture.md: <c>models/{model}/{version}/…</c>).</summary>
    public static string ArtifactKey(string model, int version) => $"models/{model}/{version}/model.zip";
}
