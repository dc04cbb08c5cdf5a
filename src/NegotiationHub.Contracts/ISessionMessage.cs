namespace NegotiationHub.Contracts;

/// <summary>
/// A server → client message about one session. The server numbers a session's messages with a
/// single counter that only grows (it survives restarts: it is stored with the session), so
/// consecutive messages a client receives for a session have consecutive sequence numbers unless
/// it missed some. A <see cref="Contracts.SessionSnapshot"/> carries the number of the last
/// message its state includes.
/// </summary>
public interface ISessionMessage
{
    /// <summary>The session the message is about.</summary>
    Guid SessionId { get; }

    /// <summary>The session's sequence number of this message (≥ 1; 0 in a snapshot of a session that has sent nothing yet).</summary>
    long Sequence { get; }
}
