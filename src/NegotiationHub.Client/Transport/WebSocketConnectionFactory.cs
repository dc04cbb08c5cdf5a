using System.Net;
using System.Net.WebSockets;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace NegotiationHub.Client.Transport;

/// <summary>
/// Connects a <see cref="HubConnection"/> to a SignalR hub over a plain WebSocket, without the
/// negotiate request: the server accepts a WebSocket opened straight on the hub's URL. Stands in
/// for the transport of Microsoft.AspNetCore.SignalR.Client, which is not available here
/// (docs/ENVIRONMENT.md); only the WebSocket transport is needed, so nothing else is lost.
/// </summary>
/// <param name="options">Cookies, headers and timeouts for every connection this factory opens.</param>
/// <param name="loggerFactory">Where transport diagnostics go; none when null.</param>
public sealed class WebSocketConnectionFactory(WebSocketConnectionOptions options, ILoggerFactory? loggerFactory = null)
    : IConnectionFactory
{
    private readonly WebSocketConnectionOptions _options = options ?? throw new ArgumentNullException(nameof(options));
    private readonly ILogger _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<WebSocketConnectionFactory>();

    /// <summary>
    /// Opens a WebSocket to <paramref name="endpoint"/> and returns a connection whose
    /// <see cref="ConnectionContext.Transport"/> carries the socket's bytes. Disposing the
    /// connection closes the socket (aborting it after <see cref="WebSocketConnectionOptions.CloseTimeout"/>).
    /// </summary>
    /// <param name="endpoint">A <see cref="UriEndPoint"/> with an http, https, ws or wss address (http maps to ws, https to wss).</param>
    /// <param name="cancellationToken">Cancels the opening handshake.</param>
    /// <exception cref="NotSupportedException"><paramref name="endpoint"/> is not a <see cref="UriEndPoint"/>.</exception>
    /// <exception cref="ArgumentException">The address's scheme is not http, https, ws or wss.</exception>
    /// <exception cref="WebSocketException">The server refused the WebSocket (e.g. 401, 403) or could not be reached.</exception>
    public async ValueTask<ConnectionContext> ConnectAsync(EndPoint endpoint, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        if (endpoint is not UriEndPoint uriEndPoint)
        {
            throw new NotSupportedException($"{nameof(WebSocketConnectionFactory)} connects only to a {nameof(UriEndPoint)}, not a {endpoint.GetType().Name}.");
        }

        var uri = ToWebSocketUri(uriEndPoint.Uri);
        var socket = new ClientWebSocket();
        try
        {
            Configure(socket.Options);
            await socket.ConnectAsync(uri, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        return WebSocketConnection.Start(socket, _options, _logger);
    }

    /// <summary>Maps an http(s) address to the ws(s) one the handshake goes to; ws(s) addresses are kept.</summary>
    internal static Uri ToWebSocketUri(Uri uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        var scheme = uri.Scheme switch
        {
            "http" or "ws" => "ws",
            "https" or "wss" => "wss",
            _ => throw new ArgumentException($"The hub address must be http, https, ws or wss, not '{uri.Scheme}'.", nameof(uri)),
        };

        return new UriBuilder(uri) { Scheme = scheme }.Uri;
    }

    private void Configure(ClientWebSocketOptions socketOptions)
    {
        if (_options.Cookies is { } cookies)
        {
            socketOptions.Cookies = cookies;
        }

        foreach (var (name, value) in _options.Headers)
        {
            socketOptions.SetRequestHeader(name, value);
        }

        _options.ConfigureWebSocket?.Invoke(socketOptions);
    }
}
