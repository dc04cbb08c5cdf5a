namespace NegotiationHub.Contracts;

/// <summary>
/// Server → client methods of the negotiation hub (the <c>T</c> of the server's
/// <c>Hub&lt;INegotiationClient&gt;</c>). Every message is an <see cref="ISessionMessage"/>:
/// it names its session and carries the session's sequence number so a client can detect a gap
/// and resync with <see cref="INegotiationHub.JoinSession"/>.
/// </summary>
public interface INegotiationClient
{
    /// <summary>The session's full state, pushed when the server wants the client to resync.</summary>
    Task SessionSnapshot(SessionSnapshot message);

    /// <summary>A round was opened.</summary>
    Task RoundOpened(RoundOpened message);

    /// <summary>A party's bid was committed (the demand only when bids are open).</summary>
    Task BidAccepted(BidAccepted message);

    /// <summary>A round was closed and analysed (MODEL §4).</summary>
    Task RoundClosed(RoundClosed message);

    /// <summary>The demands became compatible: the session reached an agreement and made a contract.</summary>
    Task AgreementReached(AgreementReached message);

    /// <summary>The session's contract was revised (MODEL §5).</summary>
    Task ContractRevised(ContractRevised message);

    /// <summary>Someone joined or left the session's live room.</summary>
    Task PresenceChanged(PresenceChanged message);
}
