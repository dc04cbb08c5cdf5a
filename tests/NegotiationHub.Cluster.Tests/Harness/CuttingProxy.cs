using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace NegotiationHub.Cluster.Tests.Harness;

/// <summary>
/// A TCP relay on 127.0.0.1 in front of a server that can fail like a network: <see cref="CutAll"/>
/// resets every relayed connection at once (no WebSocket close, no FIN from the server), and while
/// <see cref="Refusing"/> is set new connections are reset on arrival and counted.
/// </summary>
internal sealed class CuttingProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly int _targetPort;
    private readonly ConcurrentDictionary<int, (Socket Client, Socket Server)> _links = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;
    private int _nextLink;
    private int _refused;

    public CuttingProxy(int targetPort)
    {
        _targetPort = targetPort;
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public Uri BaseAddress => Loopback.Http(((IPEndPoint)_listener.LocalEndpoint).Port);

    /// <summary>When set, connections are reset as they arrive.</summary>
    public bool Refusing { get; set; }

    /// <summary>Connections reset on arrival while <see cref="Refusing"/>: the client's reconnect attempts.</summary>
    public int Refused => Volatile.Read(ref _refused);

    /// <summary>Resets every relayed connection, both sides.</summary>
    public void CutAll()
    {
        foreach (var (id, link) in _links)
        {
            Reset(link.Client);
            Reset(link.Server);
            _links.TryRemove(id, out _);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        CutAll();
        try
        {
            await _accepting;
        }
        catch (Exception exception) when (exception is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }

        _stop.Dispose();
    }

    private static void Reset(Socket socket)
    {
        try
        {
            socket.LingerState = new LingerOption(true, 0); // close → RST
            socket.Close();
        }
        catch (ObjectDisposedException)
        {
        }
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var client = await _listener.AcceptSocketAsync(_stop.Token);
            if (Refusing)
            {
                Interlocked.Increment(ref _refused);
                Reset(client);
                continue;
            }

            var server = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                await server.ConnectAsync(IPAddress.Loopback, _targetPort, _stop.Token);
            }
            catch (SocketException)
            {
                Reset(client);
                server.Dispose();
                continue;
            }

            var id = Interlocked.Increment(ref _nextLink);
            _links[id] = (client, server);
            _ = RelayAsync(id, client, server);
        }
    }

    private async Task RelayAsync(int id, Socket client, Socket server)
    {
        await Task.WhenAny(PumpAsync(client, server), PumpAsync(server, client));
        if (_links.TryRemove(id, out _))
        {
            client.Dispose();
            server.Dispose();
        }
    }

    private static async Task PumpAsync(Socket from, Socket to)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            while (true)
            {
                var read = await from.ReceiveAsync(buffer, SocketFlags.None);
                if (read == 0)
                {
                    to.Shutdown(SocketShutdown.Send);
                    return;
                }

                await to.SendAsync(buffer.AsMemory(0, read), SocketFlags.None);
            }
        }
        catch (Exception exception) when (exception is SocketException or ObjectDisposedException)
        {
            // cut
        }
    }
}
