using System.Text.Json;
using System.Threading.Channels;
using FeatureStore.Api;
using FeatureStore.Contracts;
using FeatureStore.Domain;
using FeatureStore.ModelApi.Churn;
using FeatureStore.ModelApi.Infrastructure;
using FeatureStore.ModelApi.Storage;

namespace FeatureStore.ModelApi.Training;

/// <summary>
/// Runs accepted training jobs one at a time in the background, recording each one's state in the store:
/// running, then succeeded with its version or failed with the reason. A job left pending or running by a
/// process that stopped is marked failed when the service starts again, so it never blocks a new one.
/// </summary>
public sealed partial class TrainingQueue(IServiceScopeFactory scopes, IModelStore store, TimeProvider clock,
    ModelMetrics metrics, ILogger<TrainingQueue> logger)
    : BackgroundService
{
    private readonly Channel<Guid> _jobs = Channel.CreateUnbounded<Guid>();

    /// <summary>Records a pending job (unless one is already pending or running: that one is answered) and queues it.</summary>
    public async Task<(TrainingJob Job, bool Accepted)> EnqueueAsync(TrainModelRequestDto request, CancellationToken cancellationToken)
    {
        var job = new TrainingJob(Guid.NewGuid(), ChurnModelOptions.Model, TrainingStatus.Pending,
            JsonSerializer.Serialize(request, DefinitionJson.Options),
            clock.GetUtcNow());
        if (await store.TryStartJobAsync(job, cancellationToken) is { } active) return (active, false);
        await _jobs.Writer.WriteAsync(job.Id, cancellationToken);
        return (job, true);
    }

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        var abandoned = await store.AbandonActiveJobsAsync(ChurnModelOptions.Model,
            "the model service stopped before this job finished; train again",
            clock.GetUtcNow(), cancellationToken);
        if (abandoned > 0) Abandoned(logger, abandoned);
        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await foreach (var id in _jobs.Reader.ReadAllAsync(stoppingToken))
        {
            if (await store.FindJobAsync(id, stoppingToken) is not { } job) continue;
            job = job with { Status = TrainingStatus.Running, StartedAt = clock.GetUtcNow() };
            await store.UpdateJobAsync(job, stoppingToken);
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var request = JsonSerializer.Deserialize<TrainModelRequestDto>(job.Request, DefinitionJson.Options)!;
                var (version, auc) = await scope.ServiceProvider.GetRequiredService<ChurnTrainer>()
                    .TrainAsync(job.Id, request, stoppingToken);
                await store.UpdateJobAsync(
                    job with { Status = TrainingStatus.Succeeded, FinishedAt = clock.GetUtcNow(), Version = version }, stoppingToken);
                metrics.Trained(succeeded: true, auc);
            }
            catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                Failed(logger, job.Id, e.Message, e is RefusedException ? null : e);
                await store.UpdateJobAsync(
                    job with { Status = TrainingStatus.Failed, FinishedAt = clock.GetUtcNow(), Error = e.Message }, CancellationToken.None);
                metrics.Trained(succeeded: false, auc: null);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Marked {Count} unfinished training job(s) of a previous run failed")]
    private static partial void Abandoned(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "Training job {JobId} failed: {Reason}")]
    private static partial void Failed(ILogger logger, Guid jobId, string reason, Exception? exception);
}
