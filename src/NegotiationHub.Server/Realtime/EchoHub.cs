using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;
using NegotiationHub.Contracts;

namespace NegotiationHub.Server.Realtime;

/// <summary>
/// <c>/hubs/echo</c>, the load test's floor (<see cref="EchoHubContract"/>): signed-in callers,
/// the same hub filters and protocol as <see cref="NegotiationSessionHub"/>, but a bid is only
/// echoed to its group — no session, lock, database or math. Mapped only when
/// <c>Hub:EnableEchoHub</c> is true, so production servers do not expose it.
/// </summary>
[Authorize]
public sealed class EchoHub : Hub<IEchoClient>
{
    /// <summary>Adds the caller to a group's echoes.</summary>
    public Task Join(Guid group) => Groups.AddToGroupAsync(Context.ConnectionId, Name(group), Context.ConnectionAborted);

    /// <summary>Echoes a bid to its group and acknowledges it.</summary>
    public async Task<BidAck> SubmitBid(Guid group, BidSubmission bid)
    {
        ArgumentNullException.ThrowIfNull(bid);
        await Clients.Group(Name(group)).BidAccepted(new BidAccepted
        {
            SessionId = group, Sequence = 0, Round = bid.Round, PartyIndex = 0, BidId = bid.BidId, Demand = bid.Demand,
        });
        return new BidAck { SessionId = group, BidId = bid.BidId, Round = bid.Round, PartyIndex = 0, Duplicate = false, Sequence = 0 };
    }

    private static string Name(Guid group) => $"echo:{group:N}";
}
