using MassTransit;

namespace FeatureStore.Messaging;

/// <summary>
/// Sends and publishes that give up after a limit (an <see cref="OperationCanceledException"/>): while the broker is away
/// MassTransit waits for it to come back, and a request or a schedule sweep waiting with it would hang.
/// </summary>
public static class BoundedBus
{
    public static async Task SendWithinAsync<T>(this ISendEndpointProvider bus, Uri queue, IEnumerable<T> messages, TimeSpan limit,
        CancellationToken cancellationToken) where T : class
    {
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bounded.CancelAfter(limit);
        var endpoint = await bus.GetSendEndpoint(queue).WaitAsync(bounded.Token);
        foreach (var message in messages) await endpoint.Send(message, bounded.Token);
    }

    public static async Task PublishWithinAsync<T>(this IPublishEndpoint bus, T message, TimeSpan limit,
        CancellationToken cancellationToken) where T : class
    {
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bounded.CancelAfter(limit);
        await bus.Publish(message, bounded.Token);
    }
}
