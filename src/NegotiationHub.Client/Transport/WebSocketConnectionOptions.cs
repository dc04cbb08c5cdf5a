using System.Net;
using System.Net.WebSockets;
using Microsoft.AspNetCore.Connections;

namespace NegotiationHub.Client.Transport;

/// <summary>How <see cref="WebSocketConnectionFactory"/> opens and closes its WebSocket.</summary>
public sealed class WebSocketConnectionOptions
{
    /// <summary>The default <see cref="CloseTimeout"/>: 5 seconds, as the official SignalR client.</summary>
    public static readonly TimeSpan DefaultCloseTimeout = TimeSpan.FromSeconds(5);

    /// <summary>Cookies sent with the WebSocket handshake (cookie authentication), and updated from its response.</summary>
    public CookieContainer? Cookies { get; set; }

    /// <summary>
    /// Extra headers sent with the WebSocket handshake, e.g. <c>Origin</c> (the server checks it
    /// against its allow-list) or <c>Authorization</c>.
    /// </summary>
    public IDictionary<string, string> Headers { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>Anything else to set on the socket (certificates, proxy, keep-alive), applied after <see cref="Cookies"/> and <see cref="Headers"/>.</summary>
    public Action<ClientWebSocketOptions>? ConfigureWebSocket { get; set; }

    /// <summary>
    /// How hub messages are framed: <see cref="TransferFormat.Text"/> for the JSON protocol (the
    /// default), <see cref="TransferFormat.Binary"/> for a binary protocol such as MessagePack.
    /// </summary>
    public TransferFormat TransferFormat { get; set; } = TransferFormat.Text;

    /// <summary>
    /// How long a closing connection waits for the other side's close frame (or, when the server
    /// closed first, for our own to be sent) before aborting the socket. Bounds how long disposing
    /// a connection can take.
    /// </summary>
    public TimeSpan CloseTimeout { get; set; } = DefaultCloseTimeout;
}
