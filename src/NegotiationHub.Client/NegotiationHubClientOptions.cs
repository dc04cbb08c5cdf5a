using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.Logging;
using NegotiationHub.Client.Transport;
using NegotiationHub.Contracts;

namespace NegotiationHub.Client;

/// <summary>How a <see cref="NegotiationHubClient"/> connects and recovers.</summary>
public sealed class NegotiationHubClientOptions
{
    /// <summary>The server's base address, e.g. <c>https://hub.example/</c>; the hub path <see cref="HubRoutes.Negotiation"/> is appended.</summary>
    public required Uri ServerUri { get; init; }

    /// <summary>Cookies, headers (e.g. <c>Origin</c>) and timeouts of the WebSocket.</summary>
    public WebSocketConnectionOptions WebSocket { get; init; } = new();

    /// <summary>When to retry after the connection drops; null disables automatic reconnect.</summary>
    public IRetryPolicy? ReconnectPolicy { get; init; } = new JitteredBackoffRetryPolicy();

    /// <summary>
    /// After a reconnect, join again every session joined before it and hand each fresh snapshot
    /// to the <see cref="NegotiationHubClient.OnSessionSnapshot"/> handlers (the server forgets a
    /// dropped connection's groups). Default true.
    /// </summary>
    public bool RejoinSessionsOnReconnect { get; init; } = true;

    /// <summary>Close the connection when the server has been silent this long (it pings every 15 s by default).</summary>
    public TimeSpan ServerTimeout { get; init; } = HubConnection.DefaultServerTimeout;

    /// <summary>How often the client pings the server when it has nothing else to send.</summary>
    public TimeSpan KeepAliveInterval { get; init; } = HubConnection.DefaultKeepAliveInterval;

    /// <summary>Where the client, SignalR and the transport log; nothing is logged when null.</summary>
    public ILoggerFactory? LoggerFactory { get; init; }

    /// <summary>
    /// The hub's address: <see cref="ServerUri"/> joined with <see cref="HubRoutes.Negotiation"/>,
    /// keeping any path prefix of the server address. Any node of a cluster serves any session
    /// (ADR 0019), so one connection may join all of a member's sessions.
    /// </summary>
    public Uri HubUri
    {
        get
        {
            var server = ServerUri.AbsoluteUri.EndsWith('/') ? ServerUri : new Uri(ServerUri.AbsoluteUri + "/");
            return new Uri(server, HubRoutes.Negotiation.TrimStart('/'));
        }
    }
}
