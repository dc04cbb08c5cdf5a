using NegotiationHub.Contracts;

namespace NegotiationHub.Server.Live;

/// <summary>
/// One live negotiation session (ADR 0012): an Orleans grain keyed by the session id, activated
/// once, running one call at a time. Every hub call of the session goes through it; it holds who
/// is in the room and the open round's deadline timer. Refusals come back in the reply (never as
/// exceptions across the grain boundary), in the words the hub sends.
/// </summary>
public interface ILiveSession : IGrainWithGuidKey
{
    /// <summary>Authorizes the caller, adds the connection to the session's group and presence, and returns the snapshot.</summary>
    Task<LiveReply<SessionSnapshot>> Join(LiveCaller caller, string connectionId);

    /// <summary>Removes a connection from the session's group and presence (a no-op if it had not joined).</summary>
    Task Leave(string connectionId);

    Task<LiveReply<BidAck>> SubmitBid(LiveCaller caller, LiveBid bid);

    Task<LiveReply<RoundOpened>> OpenRound(LiveCaller caller, int deadlineSeconds);

    Task<LiveReply<RoundClosed>> CloseRound(LiveCaller caller);

    /// <summary>Tells the session that a call outside it (set-up, a contract revision) changed it and, if it sent a message, its sequence: it loads its state again.</summary>
    Task Changed(long sequence);

    /// <summary>Activates the session (arming its open round's deadline timer from the database); the server wakes every session with an open round at start.</summary>
    Task Wake();
}
