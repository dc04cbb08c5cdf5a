namespace NegotiationHub.Contracts;

/// <summary>
/// Client → server methods of the negotiation hub. The server's hub implements this interface,
/// so a renamed or re-typed method breaks the build rather than the wire. Every method either
/// returns its result or throws a <c>HubException</c> whose message says what was wrong
/// (unknown session, not a member, wrong round, invalid demand, …); a failed call changes nothing.
/// </summary>
public interface INegotiationHub
{
    /// <summary>
    /// Joins the caller to a session's live room: from now on the caller receives the session's
    /// broadcasts. Also the way to resync after a reconnect or a sequence gap.
    /// </summary>
    /// <param name="sessionId">The session to join; the caller must be a member, coordinator or auditor of it.</param>
    /// <returns>The session's full state as of <see cref="SessionSnapshot.Sequence"/>.</returns>
    Task<SessionSnapshot> JoinSession(Guid sessionId);

    /// <summary>Stops the caller's broadcasts for a session. Leaving a session not joined is a no-op.</summary>
    /// <param name="sessionId">The session to leave.</param>
    Task LeaveSession(Guid sessionId);

    /// <summary>
    /// Submits the caller's party's bid for the open round. Returns only after the bid is
    /// committed (durable). Idempotent on <see cref="BidSubmission.BidId"/>: resubmitting the
    /// same bid returns the original acknowledgement with <see cref="BidAck.Duplicate"/> set and
    /// has no second effect.
    /// </summary>
    /// <param name="sessionId">The session bid in; the caller must be a member of one of its parties.</param>
    /// <param name="bid">The bid.</param>
    Task<BidAck> SubmitBid(Guid sessionId, BidSubmission bid);

    /// <summary>Coordinator only: opens the next round with a deadline.</summary>
    /// <param name="sessionId">The session.</param>
    /// <param name="deadlineSeconds">Seconds from now until the round's deadline (&gt; 0).</param>
    /// <returns>The same message that is broadcast to the session.</returns>
    Task<RoundOpened> OpenRound(Guid sessionId, int deadlineSeconds);

    /// <summary>
    /// Coordinator only: closes the open round now, auto-concedes the parties that did not bid
    /// (MODEL §4) and analyses it.
    /// </summary>
    /// <param name="sessionId">The session.</param>
    /// <returns>The same message that is broadcast to the session.</returns>
    Task<RoundClosed> CloseRound(Guid sessionId);
}
