using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using NegotiationHub.Contracts;

namespace NegotiationHub.Client;

/// <summary>
/// A typed client for the negotiation hub (<see cref="INegotiationHub"/> and
/// <see cref="INegotiationClient"/>) over a WebSocket with the JSON protocol. It reconnects with
/// jittered backoff, rejoins its sessions after a reconnect, and checks each session's sequence
/// numbers: a skipped number raises <see cref="GapDetected"/>, a number already seen (e.g. one a
/// snapshot already includes) is dropped before the handlers see it.
/// </summary>
/// <remarks>
/// Message handlers run one at a time, in arrival order, on a thread of their own; a handler may
/// call the hub (e.g. <see cref="JoinSessionAsync"/> from a <see cref="GapDetected"/> handler).
/// A handler that throws is logged and does not stop the others.
/// </remarks>
public sealed partial class NegotiationHubClient : IAsyncDisposable
{
    private readonly HubConnection _connection;
    private readonly ILogger _logger;
    private readonly bool _rejoinOnReconnect;
    private readonly SequenceTracker _sequences = new();
    private readonly Lock _joinedLock = new();
    private readonly HashSet<Guid> _joined = [];

    private readonly HandlerList<SessionSnapshot> _sessionSnapshot = new();
    private readonly HandlerList<RoundOpened> _roundOpened = new();
    private readonly HandlerList<BidAccepted> _bidAccepted = new();
    private readonly HandlerList<RoundClosed> _roundClosed = new();
    private readonly HandlerList<AgreementReached> _agreementReached = new();
    private readonly HandlerList<ContractRevised> _contractRevised = new();
    private readonly HandlerList<PresenceChanged> _presenceChanged = new();

    /// <summary>Creates a client; nothing is sent until <see cref="StartAsync"/>.</summary>
    /// <param name="options">Where and how to connect.</param>
    public NegotiationHubClient(NegotiationHubClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var loggerFactory = options.LoggerFactory ?? NullLoggerFactory.Instance;
        _logger = loggerFactory.CreateLogger<NegotiationHubClient>();
        _rejoinOnReconnect = options.RejoinSessionsOnReconnect;
        HubUri = options.HubUri;

        var builder = new HubConnectionBuilder().WithUrl(HubUri, options.WebSocket.ApplyTo);
        builder.Services.AddSingleton(loggerFactory);
        builder.AddJsonProtocol();
        builder.WithServerTimeout(options.ServerTimeout);
        builder.WithKeepAliveInterval(options.KeepAliveInterval);
        if (options.ReconnectPolicy is { } policy)
        {
            builder.WithAutomaticReconnect(policy);
        }

        _connection = builder.Build();

        _connection.On<SessionSnapshot>(HubMethods.SessionSnapshot, OnSnapshotPushedAsync);
        _connection.On<RoundOpened>(HubMethods.RoundOpened, m => DispatchAsync(m, _roundOpened, HubMethods.RoundOpened));
        _connection.On<BidAccepted>(HubMethods.BidAccepted, m => DispatchAsync(m, _bidAccepted, HubMethods.BidAccepted));
        _connection.On<RoundClosed>(HubMethods.RoundClosed, m => DispatchAsync(m, _roundClosed, HubMethods.RoundClosed));
        _connection.On<AgreementReached>(HubMethods.AgreementReached, m => DispatchAsync(m, _agreementReached, HubMethods.AgreementReached));
        _connection.On<ContractRevised>(HubMethods.ContractRevised, m => DispatchAsync(m, _contractRevised, HubMethods.ContractRevised));
        // Presence is not state: it repeats the latest sequence without advancing it, so it bypasses gap detection.
        _connection.On<PresenceChanged>(HubMethods.PresenceChanged, m => _presenceChanged.InvokeAsync(m, ex => LogHandlerFailed(_logger, HubMethods.PresenceChanged, ex)));

        _connection.Reconnecting += error => RaiseAsync(Reconnecting, error, nameof(Reconnecting));
        _connection.Reconnected += OnReconnectedAsync;
        _connection.Closed += error => RaiseAsync(Closed, error, nameof(Closed));
    }

    /// <summary>The connection dropped and automatic reconnect started; the argument is why (null if the server closed cleanly).</summary>
    public event Func<Exception?, Task>? Reconnecting;

    /// <summary>
    /// The connection is back. Raised after the sessions were rejoined (when
    /// <see cref="NegotiationHubClientOptions.RejoinSessionsOnReconnect"/> is set); the argument
    /// is the new connection's local id.
    /// </summary>
    public event Func<string?, Task>? Reconnected;

    /// <summary>The connection closed for good: stopped, or reconnect gave up; the argument is the error, if any.</summary>
    public event Func<Exception?, Task>? Closed;

    /// <summary>
    /// A session's sequence numbers skipped: messages were missed. Raised before the message that
    /// revealed the gap is handed to its handlers. Resync with <see cref="JoinSessionAsync"/>.
    /// </summary>
    public event Func<SequenceGap, Task>? GapDetected;

    /// <summary>The hub's address.</summary>
    public Uri HubUri { get; }

    /// <summary>The connection's state.</summary>
    public HubConnectionState State => _connection.State;

    /// <summary>The current connection's local id (the server's id is not exchanged without negotiate); null when not connected.</summary>
    public string? ConnectionId => _connection.ConnectionId;

    /// <summary>Connects to the hub.</summary>
    /// <exception cref="System.Net.WebSockets.WebSocketException">The server refused the WebSocket (e.g. a forbidden Origin) or could not be reached.</exception>
    public Task StartAsync(CancellationToken cancellationToken = default) => _connection.StartAsync(cancellationToken);

    /// <summary>Disconnects; outstanding invocations fail. The client can be started again.</summary>
    public Task StopAsync(CancellationToken cancellationToken = default) => _connection.StopAsync(cancellationToken);

    /// <summary>Joins a session's live room (<see cref="INegotiationHub.JoinSession"/>) and sets its sequence baseline from the snapshot.</summary>
    /// <returns>The session's state; it is not also given to the <see cref="OnSessionSnapshot"/> handlers.</returns>
    /// <exception cref="HubException">The server refused (unknown session, not a member, …).</exception>
    public async Task<SessionSnapshot> JoinSessionAsync(Guid sessionId, CancellationToken cancellationToken = default)
    {
        var snapshot = await _connection.InvokeAsync<SessionSnapshot>(HubMethods.JoinSession, sessionId, cancellationToken).ConfigureAwait(false);
        _sequences.Reset(sessionId, snapshot.Sequence);
        lock (_joinedLock)
        {
            _joined.Add(sessionId);
        }

        return snapshot;
    }

    /// <summary>Leaves a session's live room (<see cref="INegotiationHub.LeaveSession"/>); it will not be rejoined after a reconnect.</summary>
    public async Task LeaveSessionAsync(Guid sessionId, CancellationToken cancellationToken = default)
    {
        lock (_joinedLock)
        {
            _joined.Remove(sessionId);
        }

        await _connection.InvokeAsync(HubMethods.LeaveSession, sessionId, cancellationToken).ConfigureAwait(false);
        _sequences.Forget(sessionId);
    }

    /// <summary>Submits a bid (<see cref="INegotiationHub.SubmitBid"/>); completes once the server has committed it.</summary>
    /// <remarks>Safe to retry with the same <see cref="BidSubmission.BidId"/> after a failure: the server applies a bid once.</remarks>
    /// <exception cref="HubException">The server rejected the bid (wrong round, invalid demand, …).</exception>
    public Task<BidAck> SubmitBidAsync(Guid sessionId, BidSubmission bid, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(bid);
        return _connection.InvokeAsync<BidAck>(HubMethods.SubmitBid, sessionId, bid, cancellationToken);
    }

    /// <summary>Coordinator only: opens the next round (<see cref="INegotiationHub.OpenRound"/>).</summary>
    /// <exception cref="HubException">The server refused (not the coordinator, a round is already open, …).</exception>
    public Task<RoundOpened> OpenRoundAsync(Guid sessionId, int deadlineSeconds, CancellationToken cancellationToken = default) =>
        _connection.InvokeAsync<RoundOpened>(HubMethods.OpenRound, sessionId, deadlineSeconds, cancellationToken);

    /// <summary>Coordinator only: closes the open round (<see cref="INegotiationHub.CloseRound"/>).</summary>
    /// <exception cref="HubException">The server refused (not the coordinator, no round open, …).</exception>
    public Task<RoundClosed> CloseRoundAsync(Guid sessionId, CancellationToken cancellationToken = default) =>
        _connection.InvokeAsync<RoundClosed>(HubMethods.CloseRound, sessionId, cancellationToken);

    /// <summary>The last sequence number seen for a session (from a snapshot or a broadcast), or null if none.</summary>
    public long? LastSequence(Guid sessionId) => _sequences.Last(sessionId);

    /// <summary>Handles snapshots the server pushes, and those fetched when rejoining after a reconnect.</summary>
    /// <returns>Dispose to unregister.</returns>
    public IDisposable OnSessionSnapshot(Func<SessionSnapshot, Task> handler) => _sessionSnapshot.Add(handler);

    /// <summary>Handles <see cref="INegotiationClient.RoundOpened"/>.</summary>
    /// <returns>Dispose to unregister.</returns>
    public IDisposable OnRoundOpened(Func<RoundOpened, Task> handler) => _roundOpened.Add(handler);

    /// <summary>Handles <see cref="INegotiationClient.BidAccepted"/>.</summary>
    /// <returns>Dispose to unregister.</returns>
    public IDisposable OnBidAccepted(Func<BidAccepted, Task> handler) => _bidAccepted.Add(handler);

    /// <summary>Handles <see cref="INegotiationClient.RoundClosed"/>.</summary>
    /// <returns>Dispose to unregister.</returns>
    public IDisposable OnRoundClosed(Func<RoundClosed, Task> handler) => _roundClosed.Add(handler);

    /// <summary>Handles <see cref="INegotiationClient.AgreementReached"/>.</summary>
    /// <returns>Dispose to unregister.</returns>
    public IDisposable OnAgreementReached(Func<AgreementReached, Task> handler) => _agreementReached.Add(handler);

    /// <summary>Handles <see cref="INegotiationClient.ContractRevised"/>.</summary>
    /// <returns>Dispose to unregister.</returns>
    public IDisposable OnContractRevised(Func<ContractRevised, Task> handler) => _contractRevised.Add(handler);

    /// <summary>Handles <see cref="INegotiationClient.PresenceChanged"/>.</summary>
    /// <returns>Dispose to unregister.</returns>
    public IDisposable OnPresenceChanged(Func<PresenceChanged, Task> handler) => _presenceChanged.Add(handler);

    /// <summary>Stops the connection (closing the WebSocket within its close timeout) and releases it.</summary>
    public ValueTask DisposeAsync() => _connection.DisposeAsync();

    private async Task DispatchAsync<TMessage>(TMessage message, HandlerList<TMessage> handlers, string method)
        where TMessage : ISessionMessage
    {
        var (order, expected) = _sequences.Observe(message.SessionId, message.Sequence);
        switch (order)
        {
            case SequenceOrder.Stale:
                LogDroppedStale(_logger, method, message.SessionId, message.Sequence, expected);
                return;
            case SequenceOrder.Gap:
                var gap = new SequenceGap { SessionId = message.SessionId, Expected = expected, Received = message.Sequence };
                LogGap(_logger, message.SessionId, gap.Expected, gap.Received);
                await RaiseAsync(GapDetected, gap, nameof(GapDetected)).ConfigureAwait(false);
                break;
        }

        await handlers.InvokeAsync(message, ex => LogHandlerFailed(_logger, method, ex)).ConfigureAwait(false);
    }

    private async Task OnSnapshotPushedAsync(SessionSnapshot snapshot)
    {
        _sequences.Reset(snapshot.SessionId, snapshot.Sequence);
        await _sessionSnapshot.InvokeAsync(snapshot, ex => LogHandlerFailed(_logger, HubMethods.SessionSnapshot, ex)).ConfigureAwait(false);
    }

    private async Task OnReconnectedAsync(string? connectionId)
    {
        if (_rejoinOnReconnect)
        {
            Guid[] sessions;
            lock (_joinedLock)
            {
                sessions = [.. _joined];
            }

            foreach (var sessionId in sessions)
            {
                await RejoinAsync(sessionId).ConfigureAwait(false);
            }
        }

        await RaiseAsync(Reconnected, connectionId, nameof(Reconnected)).ConfigureAwait(false);
    }

    private async Task RejoinAsync(Guid sessionId)
    {
        // Broadcasts may arrive before the snapshot (the server adds us to the group first); with
        // no baseline they are taken as they come, and the snapshot then sets the baseline.
        _sequences.Forget(sessionId);
        SessionSnapshot snapshot;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                snapshot = await _connection.InvokeAsync<SessionSnapshot>(HubMethods.JoinSession, sessionId).ConfigureAwait(false);
                break;
            }
            catch (HubException ex) when (HubErrors.IsRetryable(ex.Message) && attempt < RejoinAttempts && _connection.State == HubConnectionState.Connected)
            {
                // Nothing was done and the same call may be made again: the session is moving to
                // another node (a failover) or the database was busy. Ask again shortly.
                LogRejoinRetrying(_logger, sessionId, attempt);
                await Task.Delay(RejoinDelay(attempt)).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is HubException or InvalidOperationException or OperationCanceledException or IOException)
            {
                // Refused for good (e.g. membership revoked), still refused after every attempt, or
                // the connection dropped again; in the last case the next Reconnected retries.
                LogRejoinFailed(_logger, sessionId, ex);
                return;
            }
        }

        await OnSnapshotPushedAsync(snapshot).ConfigureAwait(false);
    }

    private async Task RaiseAsync<TArg>(Func<TArg, Task>? handlers, TArg argument, string eventName)
    {
        if (handlers is null)
        {
            return;
        }

        foreach (var handler in handlers.GetInvocationList().Cast<Func<TArg, Task>>())
        {
            try
            {
                await handler(argument).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                LogHandlerFailed(_logger, eventName, ex);
            }
        }
    }

    [LoggerMessage(1, LogLevel.Warning, "Sequence gap in session {SessionId}: expected {Expected}, received {Received}.")]
    private static partial void LogGap(ILogger logger, Guid sessionId, long expected, long received);

    [LoggerMessage(2, LogLevel.Debug, "Dropped {Method} for session {SessionId}: sequence {Sequence} was already seen (expected {Expected}).")]
    private static partial void LogDroppedStale(ILogger logger, string method, Guid sessionId, long sequence, long expected);

    [LoggerMessage(3, LogLevel.Error, "A handler for {Name} threw.")]
    private static partial void LogHandlerFailed(ILogger logger, string name, Exception exception);

    [LoggerMessage(4, LogLevel.Warning, "Could not rejoin session {SessionId} after reconnecting.")]
    private static partial void LogRejoinFailed(ILogger logger, Guid sessionId, Exception exception);

    [LoggerMessage(5, LogLevel.Information, "Rejoining session {SessionId} after reconnecting was refused for now (attempt {Attempt}); asking again.")]
    private static partial void LogRejoinRetrying(ILogger logger, Guid sessionId, int attempt);

    /// <summary>How many times a rejoin refused as retryable (<see cref="HubErrors.IsRetryable"/>) is asked: about 20 s in all.</summary>
    internal const int RejoinAttempts = 12;

    /// <summary>The wait before rejoin attempt <paramref name="attempt"/> + 1: 250 ms, doubling, at most 2 s.</summary>
    internal static TimeSpan RejoinDelay(int attempt) => TimeSpan.FromMilliseconds(250 << Math.Min(attempt - 1, 3));
}
