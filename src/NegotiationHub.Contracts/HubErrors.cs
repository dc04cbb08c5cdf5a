namespace NegotiationHub.Contracts;

/// <summary>
/// Refusals a client is expected to act on, as the hub words them. A hub error reaches a client
/// inside SignalR's own wording ("An unexpected error occurred invoking 'SubmitBid' on the server.
/// HubException: …"), so match with <see cref="IsDatabaseBusy"/>, not by equality.
/// </summary>
public static class HubErrors
{
    /// <summary>A write met a busy database and was rolled back whole: resend it (a bid with the same bidId).</summary>
    public const string DatabaseBusy = "The database is busy; nothing was written. Try again (a bid resent with the same bidId is applied once).";

    /// <summary>
    /// The node that held the session's live state went away and the cluster is bringing it back on
    /// another (ADR 0019): nothing was written; resend the call in a moment (a bid with the same bidId).
    /// </summary>
    public const string SessionMoving = "The session is moving to another node; nothing was written. Try again in a moment (a bid resent with the same bidId is applied once).";

    /// <summary>True when a hub error says nothing was written and the same call may simply be made again (<see cref="DatabaseBusy"/>, <see cref="SessionMoving"/>).</summary>
    public static bool IsRetryable(string? message) =>
        IsDatabaseBusy(message) || (message is not null && message.Contains("The session is moving to another node; nothing was written.", StringComparison.Ordinal));

    /// <summary>True when a hub error's message is <see cref="DatabaseBusy"/>.</summary>
    public static bool IsDatabaseBusy(string? message) =>
        message is not null && message.Contains("The database is busy; nothing was written.", StringComparison.Ordinal);
}
