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

    /// <summary>True when a hub error's message is <see cref="DatabaseBusy"/>.</summary>
    public static bool IsDatabaseBusy(string? message) =>
        message is not null && message.Contains("The database is busy; nothing was written.", StringComparison.Ordinal);
}
