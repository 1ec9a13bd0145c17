using System.Text.Json;
using FeatureStore.Contracts;

namespace FeatureStore.Client;

/// <summary>Sources and the churn model: upload a batch source's file; train, follow, promote and call the model.</summary>
public sealed partial class FeatureStoreClient
{
    private static readonly TimeSpan TrainingPoll = TimeSpan.FromSeconds(1);

    /// <summary>Replaces a batch source's data with a file (CSV with a header row, or Parquet), checked against its schema first.
    /// </summary>
    public async Task<SourceFileDto> UploadSourceAsync(string source, Stream content, TableFormat format, string? project = null,
        CancellationToken cancellationToken = default)
    {
        var body = new StreamContent(content);
        body.Headers.ContentType = new(format == TableFormat.Csv ? "text/csv" : ParquetMediaType);
        return await ReadAsync<SourceFileDto>(Registry,
            new HttpRequestMessage(HttpMethod.Put, WithProject($"data-sources/{Uri.EscapeDataString(source)}/file", project))
            { Content = body }, cancellationToken);
    }

    public async Task<SourceFileDto> UploadSourceFileAsync(string source, string path, string? project = null,
        CancellationToken cancellationToken = default)
    {
        await using var file = File.OpenRead(path);
        return await UploadSourceAsync(source, file, FormatOf(path), project, cancellationToken);
    }

    /// <summary>Trains a churn model version (model-api reads the labels and a training set) and waits until the job ends; with
    /// <c>Promote</c> it answers predictions from then on.</summary>
    public async Task<TrainingJobDto> TrainChurnModelAsync(TrainModelRequestDto request, CancellationToken cancellationToken = default)
    {
        request.Project ??= Options.Project;
        var job = await PostAsync<TrainingJobDto>(ModelApi, "models/churn/train", request, cancellationToken);
        while (job.Status is not ("succeeded" or "failed"))
        {
            await Task.Delay(TrainingPoll, cancellationToken);
            job = await GetAsync<TrainingJobDto>(ModelApi, $"models/churn/training-jobs/{job.Id}", cancellationToken);
        }
        return job;
    }

    public Task<ModelVersionDto> PromoteChurnModelAsync(int version, CancellationToken cancellationToken = default) =>
        PostAsync<ModelVersionDto>(ModelApi, $"models/churn/versions/{version}/promote", null, cancellationToken);

    public Task<ModelVersionsDto> ListChurnModelsAsync(CancellationToken cancellationToken = default) =>
        GetAsync<ModelVersionsDto>(ModelApi, "models/churn", cancellationToken);

    /// <summary>Per churn model version, how it did on the outcomes recorded in [start, end) (default: the last 30 days): AUC,
    /// precision, recall, calibration, and the same per <paramref name="bucket"/> (a duration, default <c>1d</c>) over time.</summary>
    public Task<ModelPerformanceDto> GetChurnPerformanceAsync(DateTimeOffset? start = null, DateTimeOffset? end = null,
        string? bucket = null, CancellationToken cancellationToken = default) =>
        GetAsync<ModelPerformanceDto>(ModelApi, Query("models/churn/performance", ("start", start), ("end", end), ("bucket", bucket)),
            cancellationToken);

    /// <summary>The promoted churn model's prediction for a customer, from the features it reads online.</summary>
    public Task<PredictionDto> PredictChurnAsync(object customerId, CancellationToken cancellationToken = default) =>
        PostAsync<PredictionDto>(ModelApi, "predict/churn",
            new PredictChurnRequestDto { CustomerId = JsonSerializer.SerializeToElement(customerId, Json) }, cancellationToken);
}
