using System.Net;
using System.Net.WebSockets;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.Http.Connections.Client;

namespace NegotiationHub.Client.Transport;

/// <summary>
/// How the hub connection opens its WebSocket: what the official client's
/// <see cref="HttpConnectionOptions"/> take, in the few settings this client uses. The connection
/// goes straight to the WebSocket (no negotiate request), as the server accepts.
/// </summary>
public sealed class WebSocketConnectionOptions
{
    /// <summary>The default <see cref="CloseTimeout"/>: 5 seconds, as the official SignalR client.</summary>
    public static readonly TimeSpan DefaultCloseTimeout = TimeSpan.FromSeconds(5);

    /// <summary>Cookies sent with the WebSocket handshake (cookie authentication).</summary>
    public CookieContainer? Cookies { get; set; }

    /// <summary>
    /// Extra headers sent with the WebSocket handshake, e.g. <c>Origin</c> (the server checks it
    /// against its allow-list) or <c>Authorization</c>.
    /// </summary>
    public IDictionary<string, string> Headers { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>Anything else to set on the socket (certificates, proxy, keep-alive), applied after <see cref="Cookies"/> and <see cref="Headers"/>.</summary>
    public Action<ClientWebSocketOptions>? ConfigureWebSocket { get; set; }

    /// <summary>How long a closing connection waits for the server's close frame before aborting the socket; bounds how long disposing a connection can take.</summary>
    public TimeSpan CloseTimeout { get; set; } = DefaultCloseTimeout;

    /// <summary>Applies these settings to the official client's connection options.</summary>
    public void ApplyTo(HttpConnectionOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Transports = HttpTransportType.WebSockets;
        options.SkipNegotiation = true;
        options.CloseTimeout = CloseTimeout;
        if (Cookies is not null)
        {
            options.Cookies = Cookies;
        }

        foreach (var (name, value) in Headers)
        {
            options.Headers[name] = value;
        }

        if (ConfigureWebSocket is not null)
        {
            options.WebSocketConfiguration = ConfigureWebSocket;
        }
    }
}
