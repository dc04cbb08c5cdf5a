using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace NegotiationHub.Server.Tests.Realtime;

/// <summary>
/// The SignalR JSON protocol spoken by hand over a raw WebSocket, so a test can send exactly the
/// bytes a hostile client would (NaN literals, wrong types, oversized frames).
/// </summary>
public sealed class RawHubConnection : IAsyncDisposable
{
    private const char RecordSeparator = '\u001e';
    private readonly ClientWebSocket _socket = new();
    private readonly StringBuilder _pending = new();
    private int _nextId;

    private RawHubConnection()
    {
    }

    public WebSocketState State => _socket.State;

    public static async Task<RawHubConnection> ConnectAsync(Uri baseAddress, CookieContainer? cookies, string? origin = null)
    {
        var connection = new RawHubConnection();
        if (cookies is not null)
        {
            connection._socket.Options.Cookies = cookies;
        }

        if (origin is not null)
        {
            connection._socket.Options.SetRequestHeader("Origin", origin);
        }

        var uri = new UriBuilder(baseAddress) { Scheme = baseAddress.Scheme == "https" ? "wss" : "ws", Path = "/hubs/negotiation" }.Uri;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await connection._socket.ConnectAsync(uri, timeout.Token);
        await connection.SendAsync("{\"protocol\":\"json\",\"version\":1}" + RecordSeparator);
        var handshake = await connection.ReceiveMessageAsync();
        Assert.Equal("{}", handshake);
        return connection;
    }

    /// <summary>Invokes a hub method with raw JSON arguments; returns the completion's error (null on success) and result.</summary>
    public async Task<(string? Error, JsonElement? Result)> InvokeAsync(string target, string argumentsJson)
    {
        var id = (++_nextId).ToString(System.Globalization.CultureInfo.InvariantCulture);
        await SendAsync($"{{\"type\":1,\"invocationId\":\"{id}\",\"target\":\"{target}\",\"arguments\":{argumentsJson}}}" + RecordSeparator);
        while (true)
        {
            var message = await ReceiveMessageAsync() ?? throw new WebSocketException("The server closed the connection.");
            using var document = JsonDocument.Parse(message);
            var root = document.RootElement;
            var type = root.GetProperty("type").GetInt32();
            if (type == 3 && root.GetProperty("invocationId").GetString() == id)
            {
                return (root.TryGetProperty("error", out var error) ? error.GetString() : null,
                        root.TryGetProperty("result", out var result) ? result.Clone() : null);
            }

            if (type == 7)
            {
                throw new WebSocketException($"The server closed the connection: {message}");
            }
        }
    }

    /// <summary>Sends raw text as one WebSocket message.</summary>
    public Task SendAsync(string text)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        return _socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, timeout.Token);
    }

    /// <summary>The next protocol message, or null when the socket closes.</summary>
    public async Task<string?> ReceiveMessageAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var buffer = new byte[16 * 1024];
        while (true)
        {
            var text = _pending.ToString();
            var end = text.IndexOf(RecordSeparator, StringComparison.Ordinal);
            if (end >= 0)
            {
                _pending.Remove(0, end + 1);
                return text[..end];
            }

            WebSocketReceiveResult result;
            try
            {
                result = await _socket.ReceiveAsync(buffer, timeout.Token);
            }
            catch (WebSocketException)
            {
                return null;
            }

            if (result.MessageType == WebSocketMessageType.Close)
            {
                return null;
            }

            _pending.Append(Encoding.UTF8.GetString(buffer, 0, result.Count));
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_socket.State == WebSocketState.Open)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            try
            {
                await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token);
            }
            catch (Exception exception) when (exception is WebSocketException or OperationCanceledException)
            {
                // already gone
            }
        }

        _socket.Dispose();
    }
}
