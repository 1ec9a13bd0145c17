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
}
