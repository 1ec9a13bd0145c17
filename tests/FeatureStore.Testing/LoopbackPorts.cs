using System.Net;
using System.Net.Sockets;

namespace FeatureStore.Testing;

public static class LoopbackPorts
{
    /// <summary>A TCP port on 127.0.0.1 that nothing listens on now (the system's pick, released at once).</summary>
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Ports on 127.0.0.1 that nothing listens on now, all different (each held until every one is picked).</summary>
    public static IReadOnlyList<int> Free(int count)
    {
        var listeners = Enumerable.Range(0, count).Select(_ => new TcpListener(IPAddress.Loopback, 0)).ToList();
        try
        {
            foreach (var listener in listeners) listener.Start();
            return listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port).ToList();
        }
        finally
        {
            foreach (var listener in listeners) listener.Dispose();
        }
    }

    /// <summary>Waits until something accepts connections on 127.0.0.1:<paramref name="port"/>, for at most 20 s or until
    /// <paramref name="gaveUp"/> says the server will never come (its process exited).</summary>
    public static async Task WaitUntilOpenAsync(int port, Func<bool>? gaveUp = null)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync("127.0.0.1", port);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline && gaveUp?.Invoke() != true) { await Task.Delay(50); }
        }
    }
}
