using MassTransit;
using Microsoft.Extensions.Logging;

namespace FeatureStore.Messaging;

/// <summary>
/// Says, in one log line, that a message has failed for good and why, as it moves to the error queue.
/// The receive observer sees a consumer fault once, after the retry policy has given up.
/// </summary>
public sealed partial class GiveUpLogger(ILogger<GiveUpLogger> logger) : IReceiveObserver
{
    public Task PreReceive(ReceiveContext context) => Task.CompletedTask;

    public Task PostReceive(ReceiveContext context) => Task.CompletedTask;

    public Task PostConsume<T>(ConsumeContext<T> context, TimeSpan duration, string consumerType) where T : class => Task.CompletedTask;

    public Task ConsumeFault<T>(ConsumeContext<T> context, TimeSpan duration, string consumerType, Exception exception) where T : class
    {
        GaveUp(logger, typeof(T).Name, context.MessageId, consumerType, context.ReceiveContext.InputAddress,
            context.GetRetryAttempt(), exception.GetType().Name, exception.Message, exception);
        return Task.CompletedTask;
    }

    public Task ReceiveFault(ReceiveContext context, Exception exception)
    {
        Unreadable(logger, context.InputAddress, exception.Message, exception);
        return Task.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Error, Message =
        "Giving up on {MessageType} {MessageId} in {ConsumerType} after {RetryAttempt} retries; " +
        "it moves to the error queue of {InputAddress}. Reason: {ExceptionType}: {Reason}")]
    private static partial void GaveUp(ILogger logger, string messageType, Guid? messageId, string consumerType, Uri inputAddress,
        int retryAttempt, string exceptionType, string reason, Exception exception);

    [LoggerMessage(Level = LogLevel.Error,
        Message = "A message on {InputAddress} could not be read and moves to the error queue. Reason: {Reason}")]
    private static partial void Unreadable(ILogger logger, Uri inputAddress, string reason, Exception exception);
}
