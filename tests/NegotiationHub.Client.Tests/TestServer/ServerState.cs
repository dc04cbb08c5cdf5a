using System.Collections.Concurrent;
using Microsoft.AspNetCore.SignalR;
using NegotiationHub.Contracts;

namespace NegotiationHub.Client.Tests.TestServer;

/// <summary>What the test server saw of one connection's WebSocket handshake.</summary>
internal sealed record Handshake(string ConnectionId, string? Origin, string? AuthCookie, string? Query = null);

/// <summary>
/// The test server's memory: sessions' sequence counters and committed bids, the connections it
/// holds, and switches the tests flip to make the hub misbehave.
/// </summary>
internal sealed class ServerState
{
    public const string AuthCookieName = "nh.auth";

    private readonly ConcurrentDictionary<Guid, long> _sequences = new();
    private readonly ConcurrentDictionary<Guid, BidAck> _bids = new();
    private readonly ConcurrentDictionary<string, HubCallerContext> _connections = new();
    private readonly ConcurrentQueue<Handshake> _handshakes = new();
    private int _joinCount;

    /// <summary>When set, SubmitBid never answers (until the connection goes away).</summary>
    public bool StallBids { get; set; }

    /// <summary>When set, every new request is refused with 403 (a server that is up but will not take the client back).</summary>
    public bool RefuseConnections { get; set; }

    private int _refuseJoins;

    /// <summary>The message the next <see cref="RefuseJoins"/> joins are refused with.</summary>
    public string JoinRefusal { get; set; } = HubErrors.SessionMoving;

    /// <summary>How many of the next JoinSession calls are refused with <see cref="JoinRefusal"/> (a session moving between nodes).</summary>
    public int RefuseJoins
    {
        get => Volatile.Read(ref _refuseJoins);
        set => Volatile.Write(ref _refuseJoins, value);
    }

    /// <summary>Takes one refusal off <see cref="RefuseJoins"/>; true if this join is refused.</summary>
    public bool TakeJoinRefusal()
    {
        while (true)
        {
            var left = Volatile.Read(ref _refuseJoins);
            if (left <= 0)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref _refuseJoins, left - 1, left) == left)
            {
                return true;
            }
        }
    }

    public int JoinCount => Volatile.Read(ref _joinCount);

    public IReadOnlyCollection<Handshake> Handshakes => _handshakes;

    public int ConnectionCount => _connections.Count;

    public long CurrentSequence(Guid sessionId) => _sequences.GetValueOrDefault(sessionId);

    public long NextSequence(Guid sessionId) => _sequences.AddOrUpdate(sessionId, 1, static (_, last) => last + 1);

    public void CountJoin() => Interlocked.Increment(ref _joinCount);

    /// <summary>Commits a bid once per id; a repeat returns the original acknowledgement.</summary>
    public (BidAck Ack, bool IsNew) Commit(Guid sessionId, BidSubmission bid)
    {
        var isNew = false;
        var ack = _bids.GetOrAdd(bid.BidId, _ =>
        {
            isNew = true;
            return new BidAck
            {
                SessionId = sessionId,
                BidId = bid.BidId,
                Round = bid.Round,
                PartyIndex = 0,
                Duplicate = false,
                Sequence = NextSequence(sessionId),
            };
        });
        return (isNew ? ack : ack with { Duplicate = true }, isNew);
    }

    public void Connected(HubCallerContext context)
    {
        _connections[context.ConnectionId] = context;
        var request = context.GetHttpContext()?.Request;
        _handshakes.Enqueue(new Handshake(context.ConnectionId, request?.Headers.Origin.ToString(), request?.Cookies[AuthCookieName], request?.QueryString.Value));
    }

    public void Disconnected(HubCallerContext context) => _connections.TryRemove(context.ConnectionId, out _);

    /// <summary>
    /// Aborts every hub connection with <see cref="HubCallerContext.Abort"/>. SignalR then sends a
    /// close message that forbids reconnecting: the server means "go away".
    /// </summary>
    public void AbortAll()
    {
        foreach (var context in _connections.Values)
        {
            context.Abort();
        }
    }

    /// <summary>Cuts every connection's TCP connection, as a network failure or a crashed proxy would.</summary>
    public void DropAll()
    {
        foreach (var context in _connections.Values)
        {
            context.GetHttpContext()?.Abort();
        }
    }
}
