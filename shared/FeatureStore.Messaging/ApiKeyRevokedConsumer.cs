using FeatureStore.Contracts;
using FeatureStore.Domain.Security;
using MassTransit;

namespace FeatureStore.Messaging;

/// <summary>Drops a revoked key from this instance's key cache (every instance has its own queue: a broadcast).</summary>
public sealed class ApiKeyRevokedConsumer(IEnumerable<IApiKeyRevocations> revocations) : IConsumer<ApiKeyRevoked>
{
    public Task Consume(ConsumeContext<ApiKeyRevoked> context)
    {
        foreach (var cache in revocations) cache.Revoked(context.Message.KeyId);
        return Task.CompletedTask;
    }
}
