using System.Net;
using System.Net.Sockets;

namespace FeatureStore.Testing;

/// <summary>
/// A loopback port of one test's own that forwards to a shared server, and that the test may cut (every connection
/// dropped, new ones refused) and open again on the same port: to its clients the server has crashed and come back,
/// while the server itself stays up for everyone else. Used for RabbitMQ, whose private node takes over 30 s to boot here.
/// It may also stall (accept connections, forward nothing, answer nothing), as a hung server does, and counts the
/// connections it accepted, so a test can tell how often its clients still try.
/// </summary>
public sealed class LocalTcpProxy(string targetHost, int targetPort) : IAsyncDisposable
{
    private readonly List<TcpClient> _open = [];
    private TcpListener? _listener;
    private CancellationTokenSource? _cut;
    private volatile bool _stalled;
    private int _accepted;

    public int Port { get; } = LoopbackPorts.Free();

    /// <summary>Connections accepted since the proxy was created.</summary>
    public int Accepted => Volatile.Read(ref _accepted);

    public static LocalTcpProxy Start(string targetHost, int targetPort)
    {
        var proxy = new LocalTcpProxy(targetHost, targetPort);
        proxy.StartAgain();
        return proxy;
    }

    /// <summary>Accepts connections again and forwards them.</summary>
    public void StartAgain() => Listen(stalled: false);

    /// <summary>Drops every connection, then accepts new ones but holds them silent until the next <see cref="Cut"/>: to its
    /// clients the server hangs.</summary>
    public void Stall()
    {
        Cut();
        Listen(stalled: true);
    }

    private void Listen(bool stalled)
    {
        _stalled = stalled;
        _cut = new CancellationTokenSource();
        _listener = new TcpListener(IPAddress.Loopback, Port);
        _listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        _listener.Start();
        _ = AcceptAsync(_listener, _cut.Token);
    }

    /// <summary>Stops listening and resets every forwarded connection at once.</summary>
    public void Cut()
    {
        _cut?.Cancel();
        _listener?.Stop();
        _listener = null;
        lock (_open)
        {
            foreach (var client in _open)
            {
                try { client.Client.LingerState = new LingerOption(true, 0); } // RST, as a dead peer's kernel would
                catch (Exception e) when (e is ObjectDisposedException or SocketException or NullReferenceException) { }
                client.Dispose();
            }
            _open.Clear();
        }
    }

    private async Task AcceptAsync(TcpListener listener, CancellationToken cut)
    {
        while (!cut.IsCancellationRequested)
        {
            TcpClient inbound;
            try { inbound = await listener.AcceptTcpClientAsync(cut); }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException) { return; }
            Interlocked.Increment(ref _accepted);
            _ = _stalled ? HoldAsync(inbound, cut) : ForwardAsync(inbound, cut);
        }
    }

    private async Task HoldAsync(TcpClient inbound, CancellationToken cut)
    {
        lock (_open) _open.Add(inbound);
        try { await Task.Delay(Timeout.Infinite, cut); }
        catch (OperationCanceledException) { }
        finally { inbound.Dispose(); }
    }

    private async Task ForwardAsync(TcpClient inbound, CancellationToken cut)
    {
        var outbound = new TcpClient();
        lock (_open)
        {
            _open.Add(inbound);
            _open.Add(outbound);
        }
        try
        {
            await outbound.ConnectAsync(targetHost, targetPort, cut);
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cut);
            var up = inbound.GetStream().CopyToAsync(outbound.GetStream(), stop.Token);
            var down = outbound.GetStream().CopyToAsync(inbound.GetStream(), stop.Token);
            await Task.WhenAny(up, down);
            await stop.CancelAsync();
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or SocketException or ObjectDisposedException) { }
        finally
        {
            inbound.Dispose();
            outbound.Dispose();
        }
    }

    public ValueTask DisposeAsync()
    {
        Cut();
        return ValueTask.CompletedTask;
    }
}
