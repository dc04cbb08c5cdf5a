using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;
using NegotiationHub.Contracts;
using NegotiationHub.Server.Sessions;

namespace NegotiationHub.Server.Rounds;

/// <summary>
/// <c>/hubs/negotiation</c> (PRODUCT.md). Thin: it names the caller and hands the work to
/// <see cref="RoundService"/>; refusals become <see cref="HubException"/>s in <see cref="HubGuardFilter"/>.
/// </summary>
[Authorize]
public sealed class NegotiationSessionHub(RoundService rounds, Presence presence) : Hub<INegotiationClient>, INegotiationHub
{
    public async Task<SessionSnapshot> JoinSession(Guid sessionId)
    {
        var caller = Me();
        var snapshot = await rounds.SnapshotAsync(caller, sessionId, Context.ConnectionAborted);
        await Groups.AddToGroupAsync(Context.ConnectionId, RoundService.Group(sessionId), Context.ConnectionAborted);
        presence.Join(sessionId, Context.ConnectionId, new MemberPresence { UserName = caller.UserName, PartyIndex = snapshot.OwnPartyIndex });
        var online = presence.Online(sessionId);
        await Clients.Group(RoundService.Group(sessionId)).PresenceChanged(new PresenceChanged { SessionId = sessionId, Sequence = snapshot.Sequence, Online = online });
        return snapshot with { Online = online };
    }

    public async Task LeaveSession(Guid sessionId)
    {
        await Groups.RemoveFromGroupAsync(Context.ConnectionId, RoundService.Group(sessionId), Context.ConnectionAborted);
        if (presence.Leave(sessionId, Context.ConnectionId))
        {
            await BroadcastPresenceAsync(sessionId);
        }
    }

    public Task<BidAck> SubmitBid(Guid sessionId, BidSubmission bid) =>
        rounds.SubmitBidAsync(Me(), sessionId, bid, Context.ConnectionAborted);

    public Task<RoundOpened> OpenRound(Guid sessionId, int deadlineSeconds) =>
        rounds.OpenRoundAsync(Me(), sessionId, deadlineSeconds, Context.ConnectionAborted);

    public Task<RoundClosed> CloseRound(Guid sessionId) =>
        rounds.CloseRoundAsync(Me(), sessionId, Context.ConnectionAborted);

    public override async Task OnDisconnectedAsync(Exception? exception)
    {
        foreach (var sessionId in presence.Disconnect(Context.ConnectionId))
        {
            await BroadcastPresenceAsync(sessionId);
        }

        await base.OnDisconnectedAsync(exception);
    }

    /// <summary>Presence is not state: it carries the session's latest sequence without advancing it.</summary>
    private Task BroadcastPresenceAsync(Guid sessionId) =>
        Clients.Group(RoundService.Group(sessionId)).PresenceChanged(new PresenceChanged
        {
            SessionId = sessionId,
            Sequence = rounds.LastSequence(sessionId),
            Online = presence.Online(sessionId),
        });

    private Caller Me() => Caller.From(Context.User) ?? throw new HubException("Sign in first.");
}
