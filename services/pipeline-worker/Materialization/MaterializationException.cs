namespace FeatureStore.PipelineWorker.Materialization;

/// <summary>
/// A failure that retrying cannot fix (a missing source, a column of the wrong type): the job fails at
/// once with this message. Anything else (a server not answering) is retried, then faulted.
/// </summary>
public sealed class MaterializationException(string message, Exception? inner = null) : Exception(message, inner);
