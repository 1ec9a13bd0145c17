using System.Text.Json;
using FeatureStore.Contracts;
using FeatureStore.Domain;
using FeatureStore.Registry.Storage;
using MassTransit;

namespace FeatureStore.Registry.Infrastructure;

/// <summary>Wakes the dispatcher as soon as a commit has put messages in the outbox.</summary>
public sealed class OutboxSignal
{
    private readonly SemaphoreSlim _signal = new(0, 1);

    public void Kick()
    {
        if (_signal.CurrentCount == 0) try { _signal.Release(); } catch (SemaphoreFullException) { }
    }

    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => _signal.WaitAsync(timeout, cancellationToken);
}

/// <summary>
/// Publishes registry events after their change is committed (they were stored in the same
/// transaction), so an event never announces a change that did not happen, and none is lost when the
/// broker is briefly away. Delivery is at least once; consumers are idempotent.
/// </summary>
public sealed partial class OutboxDispatcher(IOutboxStore store, IBus bus, OutboxSignal signal, TimeProvider clock,
    ILogger<OutboxDispatcher> logger)
    : BackgroundService
{
    private static readonly TimeSpan Sweep = TimeSpan.FromSeconds(5);

    private static readonly Dictionary<string, Type> Known =
        new Type[] { typeof(FeatureViewApplied), typeof(FeatureViewDeleted), typeof(RegistryChanged) }
        .ToDictionary(t => t.FullName!);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await DispatchAsync(stoppingToken);
                await signal.WaitAsync(Sweep, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { return; }
            catch (Exception e)
            {
                Failed(logger, e.Message, e);
                await Task.Delay(Sweep, stoppingToken).ContinueWith(_ => { }, CancellationToken.None);
            }
        }
    }

    private async Task DispatchAsync(CancellationToken cancellationToken)
    {
        for (var pending = await store.PendingMessagesAsync(100, cancellationToken); pending.Count > 0;
             pending = await store.PendingMessagesAsync(100, cancellationToken))
        {
            var sent = new List<Guid>();
            foreach (var message in pending)
            {
                if (Known.TryGetValue(message.MessageType, out var type))
                    await bus.Publish(JsonSerializer.Deserialize(message.Payload, type, DefinitionJson.Options)!, type, cancellationToken);
                else Unknown(logger, message.MessageType, message.Id);
                sent.Add(message.Id);
            }
            await store.MarkSentAsync(sent, clock.GetUtcNow(), cancellationToken);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Publishing registry events failed, retrying: {Reason}")]
    private static partial void Failed(ILogger logger, string reason, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Outbox message {Id} has unknown type {MessageType}; it is dropped")]
    private static partial void Unknown(ILogger logger, string messageType, Guid id);
}
