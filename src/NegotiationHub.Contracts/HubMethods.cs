namespace NegotiationHub.Contracts;

/// <summary>
/// The hub's method names on the wire, in one place so the server, the .NET client and the tests
/// agree. Each is the name of the interface method it stands for.
/// </summary>
public static class HubMethods
{
    /// <summary>Client → server: <see cref="INegotiationHub.JoinSession"/>.</summary>
    public const string JoinSession = nameof(INegotiationHub.JoinSession);

    /// <summary>Client → server: <see cref="INegotiationHub.LeaveSession"/>.</summary>
    public const string LeaveSession = nameof(INegotiationHub.LeaveSession);

    /// <summary>Client → server: <see cref="INegotiationHub.SubmitBid"/>.</summary>
    public const string SubmitBid = nameof(INegotiationHub.SubmitBid);

    /// <summary>Client → server: <see cref="INegotiationHub.OpenRound"/>.</summary>
    public const string OpenRound = nameof(INegotiationHub.OpenRound);

    /// <summary>Client → server: <see cref="INegotiationHub.CloseRound"/>.</summary>
    public const string CloseRound = nameof(INegotiationHub.CloseRound);

    /// <summary>Server → client: <see cref="INegotiationClient.SessionSnapshot"/>.</summary>
    public const string SessionSnapshot = nameof(INegotiationClient.SessionSnapshot);

    /// <summary>Server → client: <see cref="INegotiationClient.RoundOpened"/>.</summary>
    public const string RoundOpened = nameof(INegotiationClient.RoundOpened);

    /// <summary>Server → client: <see cref="INegotiationClient.BidAccepted"/>.</summary>
    public const string BidAccepted = nameof(INegotiationClient.BidAccepted);

    /// <summary>Server → client: <see cref="INegotiationClient.RoundClosed"/>.</summary>
    public const string RoundClosed = nameof(INegotiationClient.RoundClosed);

    /// <summary>Server → client: <see cref="INegotiationClient.AgreementReached"/>.</summary>
    public const string AgreementReached = nameof(INegotiationClient.AgreementReached);

    /// <summary>Server → client: <see cref="INegotiationClient.ContractRevised"/>.</summary>
    public const string ContractRevised = nameof(INegotiationClient.ContractRevised);

    /// <summary>Server → client: <see cref="INegotiationClient.PresenceChanged"/>.</summary>
    public const string PresenceChanged = nameof(INegotiationClient.PresenceChanged);
}
