namespace FeatureStore.ModelApi.Storage;

public enum TrainingStatus { Pending, Running, Succeeded, Failed }

/// <summary>A training run of a model: what was asked (JSON), where it is, and the version it made.</summary>
public sealed record TrainingJob(Guid Id, string Model, TrainingStatus Status, string Request, DateTimeOffset CreatedAt,
    DateTimeOffset? StartedAt = null, DateTimeOffset? FinishedAt = null, string? Error = null, int? Version = null);

/// <summary>
/// One immutable version of a trained model: its artifact in the object store and its details (JSON: the
/// features and the exact feature-service versions it was trained on, every candidate's metrics, feature
/// importance), which the model service owns the shape of.
/// </summary>
public sealed record ModelVersion(string Model, int Version, DateTimeOffset CreatedAt, Guid TrainingJob, string Artifact, string Details);

/// <summary>Model versions, the promoted one, and training jobs, model-api's own tables.</summary>
public interface IModelStore
{
    /// <summary>Adds a pending job unless one of the same model is pending or running; answers that one instead.</summary>
    Task<TrainingJob?> TryStartJobAsync(TrainingJob job, CancellationToken cancellationToken);

    Task UpdateJobAsync(TrainingJob job, CancellationToken cancellationToken);

    /// <summary>Marks every pending or running job of a model failed with <paramref name="reason"/> (their process is gone); answers how
    /// many.</summary>
    Task<int> AbandonActiveJobsAsync(string model, string reason, DateTimeOffset at, CancellationToken cancellationToken);

    Task<TrainingJob?> FindJobAsync(Guid id, CancellationToken cancellationToken);

    /// <summary>The version the next training of this model will get.</summary>
    Task<int> NextVersionAsync(string model, CancellationToken cancellationToken);

    Task AddVersionAsync(ModelVersion version, CancellationToken cancellationToken);

    Task<IReadOnlyList<ModelVersion>> ListVersionsAsync(string model, CancellationToken cancellationToken);

    Task<ModelVersion?> FindVersionAsync(string model, int version, CancellationToken cancellationToken);

    Task PromoteAsync(string model, int version, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>The promoted version's number, if any version has been promoted.</summary>
    Task<int?> PromotedAsync(string model, CancellationToken cancellationToken);
}
