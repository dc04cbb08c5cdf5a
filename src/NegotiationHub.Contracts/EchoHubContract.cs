namespace NegotiationHub.Contracts;

/// <summary>
/// The bare echo hub the load driver measures as its floor (mapped only when the server's
/// <c>Hub:EnableEchoHub</c> is true): the same WebSocket, JSON protocol, sign-in and hub filters as
/// the negotiation hub, but no session, database or math — a bid in, a bid-sized broadcast out.
/// </summary>
public static class EchoHubContract
{
    /// <summary>Where the echo hub is mapped.</summary>
    public const string Route = "/hubs/echo";

    /// <summary>Client → server <c>Join(Guid group)</c>: receive the group's echoes.</summary>
    public const string Join = "Join";

    /// <summary>Client → server <c>SubmitBid(Guid group, BidSubmission bid)</c> → <see cref="BidAck"/>; echoes the bid to the group as <see cref="BidAccepted"/>.</summary>
    public const string SubmitBid = "SubmitBid";

    /// <summary>Server → client: <see cref="IEchoClient.BidAccepted"/>.</summary>
    public const string BidAccepted = nameof(IEchoClient.BidAccepted);
}

/// <summary>Server → client method of the echo hub (<see cref="EchoHubContract"/>).</summary>
public interface IEchoClient
{
    /// <summary>A bid of the group, echoed (its <see cref="ISessionMessage.Sequence"/> and <see cref="Contracts.BidAccepted.PartyIndex"/> are 0: the echo hub keeps no state).</summary>
    Task BidAccepted(BidAccepted message);
}
