using System.Net;
using System.Net.Sockets;

namespace FeatureStore.Testing;

/// <summary>
/// Ports on 127.0.0.1 for servers a test starts. Two rules keep two servers off one port: a port is handed out at most once
/// per test run (the system's own pick can return the port it just released, and two services of one rig once got the same
/// one), and ports come from below the system's ephemeral range, so no outgoing connection (Redis, PostgreSQL, HTTP) can
/// take a port between its pick and the server's bind.
/// </summary>
public static class LoopbackPorts
{
    // Below Linux's ephemeral range (32768 on): a Redis cluster node's bus port (port + 10000) stays out of this range too.
    private const int First = 22000;
    private const int Count = 8000;
    private static readonly Lock Gate = new();
    private static readonly HashSet<int> HandedOut = [];
    private static int _next = Random.Shared.Next(Count); // processes running tests side by side start far apart

    /// <summary>A TCP port on 127.0.0.1 that nothing listens on now and no other caller in this run was given.</summary>
    public static int Free()
    {
        lock (Gate) return Pick();
    }

    /// <summary>Ports on 127.0.0.1 that nothing listens on now, all different, given to no other caller in this run.</summary>
    public static IReadOnlyList<int> Free(int count)
    {
        lock (Gate) return Enumerable.Range(0, count).Select(_ => Pick()).ToList();
    }

    private static int Pick()
    {
        for (var tried = 0; tried < Count; tried++)
        {
            var port = First + _next++ % Count;
            if (!HandedOut.Contains(port) && NothingListensOn(port) && HandedOut.Add(port)) return port;
        }
        throw new InvalidOperationException($"no free port on 127.0.0.1 between {First} and {First + Count - 1}");
    }

    private static bool NothingListensOn(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException) { return false; }
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
