using FeatureStore.Contracts;
using FeatureStore.PipelineWorker.Materialization;
using MassTransit;

namespace FeatureStore.PipelineWorker.Consumers;

/// <summary>A job was cancelled: whichever of its partitions run on this worker stop.</summary>
public sealed class MaterializationCancelledConsumer(RunningJobs running) : IConsumer<MaterializationCancelled>
{
    public Task Consume(ConsumeContext<MaterializationCancelled> context)
    {
        running.Cancel(context.Message.JobId);
        return Task.CompletedTask;
    }
}
