using System.Diagnostics.Metrics;
using System.Threading.Channels;
using FeatureStore.ModelApi.Storage;

namespace FeatureStore.ModelApi.Performance;

/// <summary>
/// Predictions of customers, queued without waiting (bounded: a full queue drops and counts,
/// <c>featurestore_model_prediction_log_dropped_total</c>) and written in batches by a background loop, so the prediction log
/// never slows a prediction. Outcomes recorded later are judged against it.
/// </summary>
public sealed partial class PredictionLog : BackgroundService
{
    private const int Capacity = 50_000;
    private const int Batch = 500;

    private readonly Channel<LoggedPrediction> _queue;
    private readonly Counter<long> _dropped;
    private readonly IPerformanceStore _store;
    private readonly ILogger<PredictionLog> _logger;

    public PredictionLog(IPerformanceStore store, IMeterFactory meters, ILogger<PredictionLog> logger)
    {
        (_store, _logger) = (store, logger);
        _dropped = meters.Create("FeatureStore.ModelApi.PredictionLog").CreateCounter<long>("featurestore.model.prediction_log.dropped",
            "{prediction}", "Predictions not logged: the queue was full, or the database refused them");
        _queue = Channel.CreateBounded<LoggedPrediction>(new BoundedChannelOptions(Capacity)
        {
            FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true,
        }, _ => _dropped.Add(1));
    }

    public void Record(LoggedPrediction prediction) => _queue.Writer.TryWrite(prediction);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<LoggedPrediction>(Batch);
        try
        {
            while (await _queue.Reader.WaitToReadAsync(stoppingToken))
            {
                while (batch.Count < Batch && _queue.Reader.TryRead(out var prediction)) batch.Add(prediction);
                await WriteAsync(batch, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            while (_queue.Reader.TryRead(out var prediction)) batch.Add(prediction);
            await WriteAsync(batch, CancellationToken.None); // what was predicted before the stop is still logged
        }
    }

    private async Task WriteAsync(List<LoggedPrediction> batch, CancellationToken cancellationToken)
    {
        if (batch.Count == 0) return;
        try { await _store.AddPredictionsAsync(batch, cancellationToken); }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            _dropped.Add(batch.Count);
            NotLogged(_logger, batch.Count, e.Message);
        }
        batch.Clear();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Count} predictions were not logged: {Reason}")]
    private static partial void NotLogged(ILogger logger, int count, string reason);
}
