using NegotiationHub.Contracts;

namespace NegotiationHub.Server.Live;

/// <summary>
/// A live session's room: the connections that joined it, and what is sent to all of them. The
/// live-session layer speaks to its rooms through this; the hub's edge (<c>Realtime/</c>) provides
/// it with SignalR groups, so the dependency points one way.
/// </summary>
public interface ISessionRooms
{
    /// <summary>Everyone in the session's room.</summary>
    INegotiationClient Room(Guid sessionId);

    /// <summary>Puts a hub connection into the session's room.</summary>
    Task JoinAsync(string connectionId, Guid sessionId);

    /// <summary>Takes a hub connection out of the session's room (a no-op if it is not in it).</summary>
    Task LeaveAsync(string connectionId, Guid sessionId);
}
