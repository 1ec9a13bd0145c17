using System.Collections.Concurrent;
using MassTransit;

namespace FeatureStore.IntegrationTests.Messaging;

/// <summary>
/// A bus of the test's own on a service's RabbitMQ virtual host: it sends and publishes as the services
/// would, and keeps every message of the types it watches (on a queue that disappears with it).
/// </summary>
public sealed class TestBus : IAsyncDisposable
{
    private readonly IBusControl _bus;
    private readonly ConcurrentQueue<object> _seen = new();

    private TestBus(string connectionString, Type[] watched)
    {
        _bus = MassTransit.Bus.Factory.CreateUsingRabbitMq(cfg =>
        {
            cfg.Host(new Uri(connectionString));
            if (watched.Length > 0)
                cfg.ReceiveEndpoint($"test-watch-{Guid.NewGuid():N}", endpoint =>
                {
                    endpoint.AutoDelete = true;
                    endpoint.Durable = false;
                    foreach (var type in watched)
                        typeof(TestBus)
                            .GetMethod(nameof(Watch), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!
                            .MakeGenericMethod(type).Invoke(this, [endpoint]);
                });
        });
    }

    public static async Task<TestBus> StartAsync(string connectionString, params Type[] watched)
    {
        var bus = new TestBus(connectionString, watched);
        await bus._bus.StartAsync(TestContext.Current.CancellationToken);
        return bus;
    }

    public IBus Bus => _bus;

    public IEnumerable<T> Seen<T>() => _seen.OfType<T>();

    /// <summary>Waits until a message of type <typeparamref name="T"/> matching <paramref name="match"/> has arrived.</summary>
    public async Task<T> WaitForAsync<T>(Func<T, bool> match, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (DateTime.UtcNow < deadline)
        {
            if (Seen<T>().FirstOrDefault(match) is { } found) return found;
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }
        throw new TimeoutException($"no matching {typeof(T).Name} arrived; seen: {string.Join(", ", _seen)}");
    }

    private void Watch<T>(IRabbitMqReceiveEndpointConfigurator endpoint) where T : class =>
        endpoint.Handler<T>(context =>
        {
            _seen.Enqueue(context.Message);
            return Task.CompletedTask;
        });

    public async ValueTask DisposeAsync() => await _bus.StopAsync(CancellationToken.None);
}
